package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.micrometer.core.instrument.Counter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real agent against both simulators: the AWS SDK over HTTP to {@link AwsSimulator}, fabric8 over HTTP to
 * {@link KubeApiSimulator}, and the project's own route files copied to a folder the test may edit.
 */
final class AgentHarness implements AutoCloseable {

    static final String NS = "keda-test";
    static final String KEY_ID = "AKIAHARNESS000000001";

    final AwsSimulator aws = AwsSimulator.start();
    final KubeApiSimulator kube = KubeApiSimulator.start();
    final Path dir;
    final Path triggers;
    final Path routes;
    final Path kubeconfig;
    private final List<ScalerAgent> agents = new ArrayList<>();

    AgentHarness(Path dir) {
        this.dir = dir;
        try {
            this.triggers = Files.createDirectories(dir.resolve("triggers"));
            this.routes = Files.createDirectories(dir.resolve("routes"));
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), NS);
    }

    /** A ScaledObject on {@code table} for {@code kind/name}, static keys from a Secret in the same file. */
    String scaledObject(String name, String table, String kind, String target, int shardCount, String extraSpec) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %1$s-keys, namespace: keda-test}
                stringData: {AWS_ACCESS_KEY_ID: %6$s, AWS_SECRET_ACCESS_KEY: harness-secret}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: %1$s-auth, namespace: keda-test}
                spec:
                  secretTargetRef:
                  - {parameter: awsAccessKeyID, name: %1$s-keys, key: AWS_ACCESS_KEY_ID}
                  - {parameter: awsSecretAccessKey, name: %1$s-keys, key: AWS_SECRET_ACCESS_KEY}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %1$s, namespace: keda-test}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: %3$s, name: %4$s}
                  pollingInterval: 1
                  minReplicaCount: 1
                  maxReplicaCount: 50
                %7$s
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef: {name: %1$s-auth}
                    metadata:
                      awsRegion: us-east-1
                      awsEndpoint: "%8$s"
                      tableName: %2$s
                      shardCount: "%5$d"
                """.formatted(name, table, kind, target, shardCount, KEY_ID, extraSpec, aws.endpoint());
    }

    void writeTriggers(String file, String yaml) {
        try {
            Files.writeString(triggers.resolve(file), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AgentOptions options(boolean dryRun, boolean election, String podName) {
        return new AgentOptions(List.of(triggers), routes, false, dryRun, election, podName, election ? NS : null, -1,
                Duration.ofMinutes(10), Duration.ofSeconds(3));
    }

    static ProbeOptions probeOptions() {
        return ProbeOptions.defaults().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2))
                .withRetries(2, Duration.ofMillis(20), Duration.ofMillis(100)).withBudget(1000, 100);
    }

    ScalerAgent start(AgentOptions options) throws Exception {
        return start(options, new io.ddbstreamscaler.stream.AwsShardCounter(probeOptions()));
    }

    ScalerAgent start(AgentOptions options, io.ddbstreamscaler.stream.ShardCounter shardCounter) throws Exception {
        ScalerAgent agent = AgentAssembly.create(options, kubeconfig, shardCounter, Clock.systemUTC());
        agents.add(agent);
        agent.start();
        return agent;
    }

    static double counter(ScalerAgent agent, String name, String... tags) {
        Counter c = agent.registry().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    Integer replicas(String kind, String name) {
        return kube.specReplicas("apps/v1", kind, NS, name);
    }

    @Override
    public void close() {
        agents.forEach(ScalerAgent::close);
        kube.close();
        aws.close();
    }
}
