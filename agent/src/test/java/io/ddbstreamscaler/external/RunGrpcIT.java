package io.ddbstreamscaler.external;

import io.ddbstreamscaler.external.proto.ExternalScalerGrpc;
import io.ddbstreamscaler.external.proto.GetMetricsResponse;
import io.ddbstreamscaler.external.proto.IsActiveResponse;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --grpc-port} as a user starts it: the built jar, no trigger files of its own (it serves the API only), a
 * real grpc-java client asking for a table's shards the way KEDA's external scaler does.
 */
class RunGrpcIT {

    final AwsSimulator aws = AwsSimulator.start();
    final KubeApiSimulator kube = KubeApiSimulator.start();
    Process agent;
    ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (agent != null) {
            agent.destroy();
            agent.waitFor(20, TimeUnit.SECONDS);
            agent.destroyForcibly();
        }
        kube.close();
        aws.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void anAgentWithNoTriggerFilesServesKedasExternalScalerApi(@TempDir Path dir) throws Exception {
        aws.state().createTable("orders", 3);
        Path triggers = Files.createDirectories(dir.resolve("triggers"));
        Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), "keda-test");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of("target/ddbstream-scaler.jar").toAbsolutePath().toString(), "run", "-f", triggers.toString(),
                "--routes", Path.of("routes").toAbsolutePath().toString(), "--kubeconfig", kubeconfig.toString(),
                "--management-port", "-1", "--leader-election", "false", "--grpc-port", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_"));
        pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDRUNGRPC00000001");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "run-grpc-secret");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        agent = pb.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertTrue(agent.isAlive(), "the agent runs: " + Files.readString(dir.resolve("agent.log")));
            return Files.readString(dir.resolve("agent.log")).contains("KEDA external scaler API on port");
        });
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        var stub = ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        var ref = ExternalScalerFixture.ref("orders-consumer", Map.of("tableName", "orders", "awsRegion", "us-east-1",
                "awsEndpoint", aws.endpoint().toString(), "shardCount", "2", "identityOwner", "operator"));
        GetMetricsResponse metrics = stub.getMetrics(ExternalScalerFixture.metrics(ref, "aws-dynamodb-streams-orders"));
        IsActiveResponse active = stub.isActive(ref);
        String log = Files.readString(dir.resolve("agent.log"));
        assertEquals(3, metrics.getMetricValues(0).getMetricValue(), "the table's shards, as KEDA counts them");
        assertTrue(active.getResult());
        assertTrue(log.contains("agent started: 0 ScaledObject(s)"), log);
        assertFalse(log.contains("run-grpc-secret"), "no secret in the log");
        assertTrue(agent.isAlive());
    }
}
