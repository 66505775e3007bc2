package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.ddbstreamscaler.stream.ProbeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code check} in-process through picocli against the AWS simulator holding the examples' table keda-events in
 * ap-northeast-1: the spec's examples unedited, the endpoint given with {@code --aws-endpoint}.
 */
class CheckCommandIT {

    static final String REGION = "ap-northeast-1";
    static final String USERS = "examples/keda-iam-users.yaml";
    static final String ROLE = "examples/keda-iam-role.yaml";
    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/keda-dynamodb-streams";
    static final String SO = "keda-test/aws-dynamodb-stream-scaledobject";
    /** The example Secret's key id (decoded) and the runner's own credentials. */
    static final String EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String AMBIENT_KEY_ID = "AKIDCHECKAMBIENT0001";
    /** Never printed: the example Secret's values (decoded), the runner's secret, and any STS-issued secret. */
    static final List<String> SECRETS = List.of(EXAMPLE_KEY_ID, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "FwoGZXIvYXdzEXAMPLESESSIONTOKEN", AMBIENT_KEY_ID, "ambient-secret-never-printed", "simsecret", "simtoken");

    /** Short timeouts and two fast attempts: a failing row costs milliseconds, not the defaults' seconds. */
    static final ProbeOptions FAST = ProbeOptions.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
            .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50)).withBudget(1000, 100);

    @TempDir
    Path dir;

    AwsSimulator sim;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(Clock.systemUTC(), REGION, 0);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    record Run(int exitCode, String out, String err) {
        List<Map<String, Object>> rows() throws Exception {
            return new ObjectMapper().readValue(out, new TypeReference<>() { });
        }
    }

    Run run(CheckCommand command, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    CheckCommand command() {
        return new CheckCommand(FAST, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AMBIENT_KEY_ID, "ambient-secret-never-printed")));
    }

    List<String> args(List<String> files, String output) throws Exception {
        List<String> args = new ArrayList<>(List.of("--aws-endpoint", sim.endpoint().toString(), "-o", output));
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            if (!file.startsWith("examples/")) {
                Path written = dir.resolve("f" + i + ".yaml");
                Files.writeString(written, file);
                file = written.toString();
            }
            args.add("-f");
            args.add(file);
        }
        return args;
    }

    /** One expected JSON row; shard fields and metric are null for a failed trigger. */
    record Expect(String scaledObject, String tableName, Integer total, Integer open, Integer closed, Boolean active,
                  Integer desired, int awsCalls, String error) {
        static Expect ok(String so, String table, int total, int open, int closed, boolean active, int desired, int calls) {
            return new Expect(so, table, total, open, closed, active, desired, calls, null);
        }

        static Expect failed(String so, String table, Integer desired, int calls, String error) {
            return new Expect(so, table, null, null, null, null, desired, calls, error);
        }
    }

    /** A ScaledObject using the runner's own credentials (identityOwner: operator), one trigger per table. */
    static String operatorObject(String name, int min, int max, long activation, String... tables) {
        StringBuilder y = new StringBuilder("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %s, namespace: keda-test}
                spec:
                  scaleTargetRef: {name: consumer}
                  minReplicaCount: %d
                  maxReplicaCount: %d
                  triggers:
                """.formatted(name, min, max));
        for (String table : tables) {
            y.append("  - type: aws-dynamodb-stream\n    metadata: {tableName: ").append(table)
                    .append(", awsRegion: ap-northeast-1, identityOwner: operator, shardCount: \"2\",")
                    .append(" activationShardCount: \"").append(activation).append("\"}\n");
        }
        return y.toString();
    }

    static final String MISSING_SECRET = """
            apiVersion: keda.sh/v1alpha1
            kind: TriggerAuthentication
            metadata: {name: from-cluster, namespace: keda-test}
            spec:
              secretTargetRef:
              - {parameter: awsRoleArn, name: cluster-only, key: AWS_ROLE_ARN}
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: needs-cluster, namespace: keda-test}
            spec:
              scaleTargetRef: {name: consumer}
              triggers:
              - type: aws-dynamodb-stream
                authenticationRef: {name: from-cluster}
                metadata: {tableName: keda-events, awsRegion: ap-northeast-1}
            """;

    static final String BAD_SHARD_COUNT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: bad, namespace: keda-test}
            spec:
              scaleTargetRef: {name: consumer}
              triggers:
              - type: aws-dynamodb-stream
                metadata: {tableName: keda-events, awsRegion: ap-northeast-1, identityOwner: operator, shardCount: a}
            """;

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, open shards at creation, shards split, files, exit code, stderr fragment, expected rows
                Arguments.of("IAM users example: static keys, 5 shards -> ceil(5/2)", 5, 0, List.of(USERS), 0,
                        "1 evaluated, 0 failed; 0 config error(s)",
                        List.of(Expect.ok(SO, "keda-events", 5, 5, 0, true, 3, 2))),
                Arguments.of("IAM role example: assumed through STS, closed shards counted", 4, 2, List.of(ROLE), 0,
                        "1 evaluated, 0 failed",
                        List.of(Expect.ok(SO, "keda-events", 8, 6, 2, true, 4, 2))),
                Arguments.of("both examples, one row each", 3, 0, List.of("examples/"), 0,
                        "2 trigger(s) of 2 valid ScaledObject(s) checked: 2 evaluated",
                        List.of(Expect.ok(SO, "keda-events", 3, 3, 0, true, 2, 2),
                                Expect.ok(SO, "keda-events", 3, 3, 0, true, 2, 2))),
                Arguments.of("maxReplicaCount bounds ceil(9/2)", 9, 0, List.of(operatorObject("capped", 0, 2, 0,
                        "keda-events")), 0, "0 failed", List.of(Expect.ok("keda-test/capped", "keda-events", 9, 9, 0,
                        true, 2, 2))),
                Arguments.of("minReplicaCount raises ceil(1/2)", 1, 0, List.of(operatorObject("floor", 4, 10, 0,
                        "keda-events")), 0, "0 failed", List.of(Expect.ok("keda-test/floor", "keda-events", 1, 1, 0,
                        true, 4, 2))),
                Arguments.of("at or below activationShardCount: inactive, minReplicaCount", 3, 0,
                        List.of(operatorObject("quiet", 0, 10, 3, "keda-events")), 0, "0 failed",
                        List.of(Expect.ok("keda-test/quiet", "keda-events", 3, 3, 0, false, 0, 2))),
                Arguments.of("missing table: that trigger fails, the other still decides", 6, 0,
                        List.of(operatorObject("two", 0, 10, 0, "keda-events", "no-such-table")), 1,
                        "1 evaluated, 1 failed",
                        List.of(Expect.ok("keda-test/two", "keda-events", 6, 6, 0, true, 3, 2),
                                Expect.failed("keda-test/two", "no-such-table", 3, 1, "table no-such-table not found in"
                                        + " region ap-northeast-1: check tableName and awsRegion of the trigger"))),
                Arguments.of("Secret only in the cluster: a configuration error (exit 2), named, not probed; the other"
                                + " object still checked", 2, 0,
                        List.of(MISSING_SECRET, USERS), 2, "1 evaluated, 1 failed; 1 config error(s)",
                        List.of(Expect.failed("keda-test/needs-cluster", "keda-events", null, 0,
                                        "Secret keda-test/cluster-only is not in the given files and check never reads"
                                                + " the cluster: add the Secret's manifest with -f"),
                                Expect.ok(SO, "keda-events", 2, 2, 0, true, 1, 2))),
                Arguments.of("invalid object: reported, not probed; valid one checked; 2 wins over 1", 2, 0,
                        List.of(BAD_SHARD_COUNT, USERS, operatorObject("gone", 0, 10, 0, "no-such-table")), 2,
                        "ScaledObject keda-test/bad: spec.triggers[0].metadata.shardCount: must be a whole number",
                        List.of(Expect.ok(SO, "keda-events", 2, 2, 0, true, 1, 2),
                                Expect.failed("keda-test/gone", "no-such-table", null, 1, "table no-such-table not found"))),
                Arguments.of("no such file: exit 2, an empty array", 2, 0, List.of("examples/none.yaml"), 2,
                        "examples/none.yaml: no such file or folder", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void checksEveryTriggerOnce(String name, int shards, int splits, List<String> files, int exitCode, String errPart,
                                List<Expect> expected) throws Exception {
        sim.state().createTable("keda-events", shards);
        sim.state().split("keda-events", splits);

        Run run = run(command(), args(files, "json"));

        List<Map<String, Object>> rows = run.rows();
        assertEquals(exitCode, run.exitCode(), run::err);
        assertTrue(run.err().contains(errPart), () -> "stderr lacks " + errPart + ":\n" + run.err());
        assertEquals(expected.size(), rows.size(), run::out);
        for (int i = 0; i < expected.size(); i++) {
            Expect e = expected.get(i);
            Map<String, Object> row = rows.get(i);
            Object shardsJson = row.get("shards");
            assertAll("row " + i,
                    () -> assertEquals(e.scaledObject(), row.get("scaledObject")),
                    () -> assertEquals(e.tableName(), row.get("tableName")),
                    () -> assertEquals(e.total() == null ? null : Map.of("total", e.total(), "open", e.open(),
                            "closed", e.closed()), shardsJson),
                    () -> assertEquals(e.total(), row.get("metricValue"), "KEDA's metric counts closed shards too"),
                    () -> assertEquals(e.active(), row.get("active")),
                    () -> assertEquals(e.desired(), row.get("desiredReplicas")),
                    () -> assertEquals(e.awsCalls(), row.get("awsCalls")),
                    () -> assertEquals(e.total() == null ? null : sim.state().stream("keda-events").arn(),
                            row.get("streamArn")),
                    () -> {
                        if (e.error() == null) {
                            assertNull(row.get("error"));
                        } else {
                            assertTrue(String.valueOf(row.get("error")).contains(e.error()), String.valueOf(row.get("error")));
                        }
                    });
        }
        SECRETS.forEach(secret -> assertFalse((run.out() + run.err()).contains(secret), secret));
    }

    @Test
    void eachExampleSignsWithItsOwnIdentity() {
        sim.state().createTable("keda-events", 2);

        Run run = run(command(), List.of("--aws-endpoint", sim.endpoint().toString(), "-f", USERS, "-f", ROLE));

        List<LoggedRequest> assumeRole = sim.requests("AssumeRole");
        List<String> describeKeys = sim.requests("DescribeTable").stream().map(LoggedRequest::accessKeyId).toList();
        assertAll(
                () -> assertEquals(0, run.exitCode(), run::err),
                () -> assertEquals(1, assumeRole.size(), "the role example assumes its role once, at the simulator"),
                () -> assertEquals(ROLE_ARN, assumeRole.get(0).resource()),
                () -> assertEquals(AMBIENT_KEY_ID, assumeRole.get(0).accessKeyId(), "AssumeRole is signed by the runner"),
                () -> assertEquals(List.of(EXAMPLE_KEY_ID, sim.lastIssuedAccessKeyId()), describeKeys,
                        "users: the Secret's keys; role: the keys STS issued"),
                () -> assertTrue(sim.requests().stream().allMatch(r -> REGION.equals(r.region()))));
    }

    @Test
    void textIsOneReadableLinePerTrigger() throws Exception {
        sim.state().createTable("keda-events", 5);

        Run run = run(command(), args(List.of(USERS, operatorObject("two", 0, 10, 0, "keda-events", "no-such-table")),
                "text"));

        List<String> lines = run.out().lines().toList();
        assertAll(
                () -> assertEquals(1, run.exitCode(), run::err),
                () -> assertEquals(3, lines.size(), run::out),
                () -> assertTrue(lines.get(0).startsWith(SO + " trigger 0 table keda-events in ap-northeast-1: 5 shards"
                        + " (5 open, 0 closed), metric 5, active (activation 0); desired replicas 3 (ScaleUp); 2 AWS calls"
                        + " [examples/keda-iam-users.yaml]"), lines.get(0)),
                () -> assertTrue(lines.get(2).startsWith("keda-test/two trigger 1 table no-such-table in ap-northeast-1:"
                        + " error TABLE_NOT_FOUND: table no-such-table not found in region ap-northeast-1"), lines.get(2)),
                () -> assertFalse(run.out().contains(EXAMPLE_KEY_ID)));
    }

    @Test
    void jsonAddsTheProbeFieldsAfterValidatesInOrder() throws Exception {
        sim.state().createTable("keda-events", 1);

        Run run = run(command(), args(List.of(USERS), "json"));

        List<String> keys = new ArrayList<>(run.rows().get(0).keySet());
        assertEquals(List.of("scaledObject", "file", "triggerIndex", "type", "tableName", "awsRegion", "awsEndpoint",
                "shardCount", "activationShardCount", "identityOwner", "countClosedShards", "metricName", "metricType",
                "auth", "scaleTarget", "minReplicaCount", "maxReplicaCount", "idleReplicaCount", "pollingInterval",
                "cooldownPeriod", "fallback", "streamArn", "shards", "metricValue", "active", "desiredReplicas",
                "awsCalls", "error"), keys);
        assertNull(run.rows().get(0).get("awsEndpoint"), "the file's value, not the --aws-endpoint override");
    }

    @Test
    void theCliRunsCheckWithItsDefaultWiring() {
        sim.state().createTable("keda-events", 4);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // ScalerCli builds CheckCommand itself: default probe options, the SDK's default chain (unused by static keys).
        int code = new CommandLine(new ScalerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("check", "--aws-endpoint", sim.endpoint().toString(), "-f", USERS);

        assertAll(
                () -> assertEquals(0, code, err::toString),
                () -> assertTrue(out.toString().contains("4 shards (4 open, 0 closed)"), out::toString),
                () -> assertNotNull(sim.requests("DescribeStream").get(0).accessKeyId()));
    }
}
