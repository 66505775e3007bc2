package io.ddbstreamscaler.external;

import io.ddbstreamscaler.external.proto.ExternalScalerGrpc;
import io.ddbstreamscaler.external.proto.GetMetricsRequest;
import io.ddbstreamscaler.external.proto.ScaledObjectRef;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real thing end to end: the AWS simulator over HTTP, the agent's {@link AwsShardCounter} with the real SDK, the
 * gRPC server, and a grpc-java client from the generated stubs over loopback.
 */
final class ExternalScalerFixture implements AutoCloseable {

    static final String AMBIENT_KEY = "AKIDAMBIENT0000001";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    final AwsSimulator sim;
    final AwsShardCounter counter;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ExternalScalerServer server;
    final ManagedChannel channel;

    ExternalScalerFixture(Duration freshness, Clock clock) throws IOException {
        sim = AwsSimulator.start();
        ProbeOptions options = ProbeOptions.defaults().withBudget(1000, 100)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50))
                .withStsEndpoint(sim.endpoint());
        counter = new AwsShardCounter(options, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AMBIENT_KEY, SECRET)));
        server = ExternalScalerServer.start(new ExternalScalerOptions(0, freshness, null, null, null), counter, clock,
                registry);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    ExternalScalerGrpc.ExternalScalerBlockingStub blocking() {
        return ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    ExternalScalerGrpc.ExternalScalerFutureStub future() {
        return ExternalScalerGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    ExternalScalerGrpc.ExternalScalerStub async() {
        return ExternalScalerGrpc.newStub(channel);
    }

    /** Trigger metadata as KEDA forwards it: the scaler's own keys plus ours; the agent's identity by default. */
    Map<String, String> metadata(String table, String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("scalerAddress", "ddbstream-scaler.keda.svc.cluster.local:9090");
        m.put("tableName", table);
        m.put("awsRegion", "us-east-1");
        m.put("awsEndpoint", sim.endpoint().toString());
        m.put("identityOwner", "operator");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                m.remove(keyValues[i]);
            } else {
                m.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }

    static ScaledObjectRef ref(String name, Map<String, String> metadata) {
        return ScaledObjectRef.newBuilder().setNamespace("shop").setName(name).putAllScalerMetadata(metadata).build();
    }

    static GetMetricsRequest metrics(ScaledObjectRef ref, String metricName) {
        return GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(metricName).build();
    }

    long value(ScaledObjectRef ref) {
        return blocking().getMetrics(metrics(ref, "aws-dynamodb-streams-" + ref.getScalerMetadataMap().get("tableName")))
                .getMetricValues(0).getMetricValue();
    }

    /** The sum over every series of {@code name} with that tag (all methods, say). */
    double counted(String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        counter.close();
        sim.close();
    }
}
