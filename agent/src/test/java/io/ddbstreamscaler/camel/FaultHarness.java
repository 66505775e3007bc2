package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.ScaledObjectStore;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.KubeApiDispatcher;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.micrometer.core.instrument.Counter;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link AgentHarness}'s set-up for the fault suite, plus what every fault test asserts on: the replica counts written
 * to {@code /scale} (from the Kubernetes simulator's request log), the error counters, and the agent's log lines (a
 * capturing appender on the {@code io.ddbstreamscaler} loggers). One ScaledObject, {@code keda-test/orders-consumer},
 * scales Deployment {@code consumer} on table {@code orders}.
 */
final class FaultHarness implements AutoCloseable {

    static final String NS = AgentHarness.NS;
    static final String SO = "orders-consumer";
    static final String ID = NS + "/" + SO;
    static final String TABLE = "orders";
    static final String TARGET = "consumer";
    static final String KEY_ID = AgentHarness.KEY_ID;
    static final String ROTATED_KEY_ID = "AKIAHARNESS000000002";
    /** The Secret's value: must never appear in a log line. */
    static final String SECRET = "harness-secret-do-not-log";
    static final String AMBIENT_KEY_ID = "AKIAAMBIENT000000001";
    static final String ROLE_ARN = "arn:aws:iam::210987654321:role/stream-reader";
    static final String SCALE_PATH = "/apis/apps/v1/namespaces/keda-test/deployments/consumer/scale";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentHarness base;
    final AwsSimulator aws;
    final KubeApiSimulator kube;
    final Path triggers;
    final Path routes;
    final Path kubeconfig;
    final CapturedLog log = new CapturedLog();

    FaultHarness(Path dir) {
        base = new AgentHarness(dir);
        aws = base.aws;
        kube = base.kube;
        triggers = base.triggers;
        routes = base.routes;
        kubeconfig = base.kubeconfig;
        log.attach();
    }

    /** Static keys ({@code keyId}, {@link #SECRET}) in a Secret of the same file. */
    String scaledObject(int shardCount, String keyId, String extraSpec) {
        return secret("AWS_ACCESS_KEY_ID: " + keyId + ", AWS_SECRET_ACCESS_KEY: " + SECRET) + "---\n" + """
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: orders-auth, namespace: keda-test}
                spec:
                  secretTargetRef:
                  - {parameter: awsAccessKeyID, name: orders-keys, key: AWS_ACCESS_KEY_ID}
                  - {parameter: awsSecretAccessKey, name: orders-keys, key: AWS_SECRET_ACCESS_KEY}
                ---
                """ + scaledObjectOnly(shardCount, extraSpec);
    }

    /** The role to assume comes from the Secret: TriggerAuthentication secretTargetRef parameter awsRoleArn. */
    String roleScaledObject(int shardCount, String extraSpec) {
        return secret("roleArn: \"" + ROLE_ARN + "\"") + "---\n" + """
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: orders-auth, namespace: keda-test}
                spec:
                  secretTargetRef:
                  - {parameter: awsRoleArn, name: orders-keys, key: roleArn}
                ---
                """ + scaledObjectOnly(shardCount, extraSpec);
    }

    static String secret(String stringData) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: orders-keys, namespace: keda-test}
                stringData: {%s}
                """.formatted(stringData);
    }

    /** The ScaledObject alone; its TriggerAuthentication is {@code orders-auth}. */
    String scaledObjectOnly(int shardCount, String extraSpec) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %s, namespace: keda-test}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}
                  pollingInterval: 1
                  minReplicaCount: 1
                  maxReplicaCount: 50
                %s
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef: {name: orders-auth}
                    metadata:
                      awsRegion: us-east-1
                      awsEndpoint: "%s"
                      tableName: %s
                      shardCount: "%d"
                """.formatted(SO, TARGET, extraSpec, aws.endpoint(), TABLE, shardCount);
    }

    void writeTriggers(String file, String yaml) {
        base.writeTriggers(file, yaml);
    }

    void deleteTriggers(String file) {
        try {
            Files.delete(triggers.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeRoute(String file, String yaml) {
        try {
            Files.writeString(routes.resolve(file), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A route file as the project ships it (routes/ of the checkout). */
    static String originalRoute(String file) {
        try {
            return Files.readString(Path.of("routes").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AgentOptions options(boolean election, String podName) {
        return new AgentOptions(List.of(triggers), routes, false, false, election, podName, election ? NS : null, -1,
                Duration.ofMinutes(10), Duration.ofSeconds(3));
    }

    /**
     * Tighter than {@link AgentHarness#probeOptions()}: a 700 ms call timeout so that a slow AWS fails a poll within
     * its 1 s interval; 2 attempts. STS goes to the simulator too.
     */
    ProbeOptions probeOptions() {
        return ProbeOptions.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofMillis(700))
                .withRetries(2, Duration.ofMillis(20), Duration.ofMillis(100)).withBudget(1000, 100)
                .withStsEndpoint(aws.endpoint());
    }

    /** A real agent whose ambient credentials (those that assume roles) are {@link #AMBIENT_KEY_ID}. */
    ScalerAgent start(AgentOptions options) throws Exception {
        var ambient = StaticCredentialsProvider.create(AwsBasicCredentials.create(AMBIENT_KEY_ID, SECRET));
        return base.start(options, new AwsShardCounter(probeOptions(), ambient));
    }

    void createConsumer(int replicas) {
        kube.createDeployment(NS, TARGET, replicas, Map.of("app", TARGET));
    }

    Integer replicas() {
        return base.replicas("Deployment", TARGET);
    }

    /** Every replica count written to the target's /scale (PUT or PATCH), in order, successful or not. */
    List<Integer> scaleWrites() {
        List<Integer> counts = new ArrayList<>();
        for (String method : List.of("PUT", "PATCH")) {
            for (KubeApiDispatcher.LoggedRequest r : kube.dispatcher().requests(method, SCALE_PATH)) {
                counts.add(replicasIn(r.body()));
            }
        }
        return counts;
    }

    /** spec.replicas of a Scale or merge-patch body; null when it carries none. */
    static Integer replicasIn(String body) {
        try {
            JsonNode spec = JSON.readTree(body).path("spec");
            return spec.has("replicas") ? spec.get("replicas").asInt() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double counter(ScalerAgent agent, String name, String... tags) {
        return agent.registry().find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** keda_scaler_detail_errors_total of the ScaledObject's trigger. */
    static double detailErrors(ScalerAgent agent) {
        return counter(agent, "keda.scaler.detail.errors", "scaledObject", SO);
    }

    /** keda_scaled_object_errors_total of the ScaledObject. */
    static double scaledObjectErrors(ScalerAgent agent) {
        return counter(agent, "keda.scaled.object.errors", "scaledObject", SO);
    }

    static long polls(ScalerAgent agent) {
        return agent.store().get(ID).map(ScaledObjectStore.Entry::polls).orElse(0L);
    }

    static boolean lastPollOk(ScalerAgent agent) {
        return agent.store().get(ID).map(e -> e.polls() > 0 && !e.lastPollFailed()).orElse(false);
    }

    @Override
    public void close() {
        base.close();
        log.detach();
    }

    /**
     * Every line the agent's JVM logs while the test runs, from the root logger (every logger at the levels of the
     * shipped logback.xml), each with its formatted message and its stack trace, and everything written to
     * System.out and System.err (a tee: the console still shows it). The credential check reads all of it.
     */
    static final class CapturedLog extends AppenderBase<ILoggingEvent> {

        /** One captured line; {@code trace} is the rendered stack trace, empty when the line has none. */
        record Line(Level level, String logger, String message, String trace) {
            @Override
            public String toString() {
                return level + " " + logger + " - " + message + (trace.isEmpty() ? "" : "\n" + trace);
            }
        }

        private final List<Line> lines = new CopyOnWriteArrayList<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final ByteArrayOutputStream console = new ByteArrayOutputStream();
        private PrintStream out;
        private PrintStream err;

        void attach() {
            setName("fault-suite-" + System.identityHashCode(this));
            setContext(root.getLoggerContext());
            start();
            root.addAppender(this);
            out = System.out;
            err = System.err;
            System.setOut(tee(out));
            System.setErr(tee(err));
        }

        void detach() {
            root.detachAppender(this);
            stop();
            System.setOut(out);
            System.setErr(err);
        }

        private PrintStream tee(PrintStream to) {
            return new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    to.write(b);
                    synchronized (console) {
                        console.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    to.write(b, off, len);
                    synchronized (console) {
                        console.write(b, off, len);
                    }
                }
            }, true, StandardCharsets.UTF_8);
        }

        @Override
        protected void append(ILoggingEvent event) {
            IThrowableProxy thrown = event.getThrowableProxy();
            lines.add(new Line(event.getLevel(), event.getLoggerName(), event.getFormattedMessage(),
                    thrown == null ? "" : ThrowableProxyUtil.asString(thrown)));
        }

        List<Line> lines() {
            return List.copyOf(lines);
        }

        /** Lines at {@code level} or above containing {@code fragment}. */
        List<Line> at(Level level, String fragment) {
            return lines.stream().filter(l -> l.level().isGreaterOrEqual(level) && l.message().contains(fragment)).toList();
        }

        boolean anyContains(String fragment) {
            return lines.stream().anyMatch(l -> l.message().contains(fragment));
        }

        /** No line, no stack trace and no console output holds {@code secret}; the first that does is named. */
        void assertNoLeakOf(String secret) {
            lines.stream().filter(l -> l.message().contains(secret) || l.trace().contains(secret)).findFirst()
                    .ifPresent(l -> fail("a log line holds the credential: " + l));
            String printed;
            synchronized (console) {
                printed = console.toString(StandardCharsets.UTF_8);
            }
            int at = printed.indexOf(secret);
            if (at >= 0) {
                fail("System.out/err holds the credential: ..."
                        + printed.substring(Math.max(0, at - 300), Math.min(printed.length(), at + 100)));
            }
            if (lines.isEmpty()) {
                fail("nothing was captured: the check would pass whatever the agent logged");
            }
        }
    }
}
