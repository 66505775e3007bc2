package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.cli.ScalerCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One write path, one owner of retry: every kind goes through the scale port, which re-reads and retries a 409 a
 * bounded number of times; nothing else retries it. With every {@code /scale} write answered 409, one
 * {@code run --once} poll makes at most 4 write attempts, then reports the failure and exits 1.
 */
class ScaleWriteAttemptsIT {

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        h.aws.state().createTable("orders", 8); // 8 shards at 2 per replica: 4 replicas wanted
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                // name, kind, the /scale path, write attempts on a persistent 409
                arguments("a Deployment", "Deployment", "/apis/apps/v1/namespaces/keda-test/deployments/consumer/scale", 4),
                arguments("a StatefulSet", "StatefulSet", "/apis/apps/v1/namespaces/keda-test/statefulsets/consumer/scale", 4));
    }

    @ParameterizedTest(name = "{0}: {3} write attempts, then a failure")
    @MethodSource("kinds")
    void aPersistentConflictCostsAtMostFourWriteAttempts(String name, String kind, String scalePath, int attempts) {
        if (kind.equals("Deployment")) {
            h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        } else {
            h.kube.createStatefulSet(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        }
        h.kube.dispatcher().inject("PUT", scalePath, 409, -1);
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", kind, "consumer", 2, ""));

        int code = new CommandLine(new ScalerCli()).execute("run", "--once", "-f", h.triggers.toString(), "--routes",
                h.routes.toString(), "--kubeconfig", h.kubeconfig.toString(), "--management-port", "-1",
                "--leader-election", "false");

        assertAll(
                () -> assertEquals(attempts, h.kube.dispatcher().requests("PUT", scalePath).size(), "PUTs of " + scalePath),
                () -> assertEquals(1, code, "the failed write is reported: run --once exits 1"),
                () -> assertEquals(1, h.replicas(kind, "consumer"), "the count stays"));
    }
}
