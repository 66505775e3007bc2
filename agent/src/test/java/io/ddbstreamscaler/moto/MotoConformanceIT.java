package io.ddbstreamscaler.moto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddbstreamscaler.moto.AgentJarRun.Result;
import io.ddbstreamscaler.moto.MotoAccount.Keys;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance against moto 5.2.1, an independent AWS emulator that verifies SigV4 signatures and, once switched on,
 * enforces IAM: the built agent ({@code java -jar target/ddbstream-scaler.jar}) runs as a user would run it, with
 * tables, users, roles and policies made through the AWS SDK for Java and IAM switched on before the agent starts.
 * Every case checks the exit code, the message, and that no access key id, secret key, session token or external id
 * appears in anything the agent printed. What moto cannot show is in docs/moto.md.
 */
class MotoConformanceIT {

    static final String NS = "keda-test";
    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/keda-dynamodb-streams"; // the spec's example's
    static final String CROSS_ACCOUNT = "cross-account-reader";
    static final String RIGHT_EXTERNAL_ID = "right-external-id-6f1c";
    static final String WRONG_EXTERNAL_ID = "wrong-external-id-93ab";
    static final String WRONG_SECRET = "WrongSecretKeyWrongSecretKeyWrongSecretK";
    static final Path EXAMPLES = Path.of("examples");

    @TempDir
    static Path dir;

    static MotoServer moto;
    static MotoAccount account;
    static KubeApiSimulator kube;
    static Path kubeconfig;
    static Keys agent;        // the agent's own identity (ambient keys): may assume roles, nothing else
    static Keys leastKeys;    // a user with docs/iam-policy.json's actions (Resource "*": see docs/moto.md)
    static Keys noStreamKeys; // a user with DescribeTable only
    static Keys admin;        // changes tables once IAM is on
    static Keys temporary;    // AssumeRole keys with a session token, for the IAM-users example
    static String leastPolicy;

    @BeforeAll
    static void setUp() throws Exception {
        moto = MotoServer.start(dir);
        account = new MotoAccount(moto.url());
        leastPolicy = withAnyResource(Files.readString(Path.of("docs", "iam-policy.json")));

        account.createTable("keda-events", true);
        account.createTable("plain-table", false);
        account.createTable("orders", true);
        admin = account.createUser("admin", policy("\"*\""));
        agent = account.createUser("agent", policy("\"sts:AssumeRole\""));
        leastKeys = account.createUser("least-privilege", leastPolicy);
        noStreamKeys = account.createUser("no-describe-stream", policy("\"dynamodb:DescribeTable\""));
        account.createRole("keda-dynamodb-streams", MotoAccount.userArn("agent"), null, leastPolicy);
        account.createRole(CROSS_ACCOUNT, MotoAccount.userArn("agent"), RIGHT_EXTERNAL_ID, leastPolicy);

        moto.enforceIam();
        account.actAs(admin);
        temporary = account.assumeRole(agent, ROLE_ARN);

        kube = KubeApiSimulator.start();
        kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), NS);
        kube.createDeployment(NS, "nginx-deployment", 0, Map.of("app", "nginx"));
        kube.createDeployment(NS, "orders-consumer", 1, Map.of("app", "orders"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (kube != null) {
            kube.close();
        }
        if (account != null) {
            account.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** An identity policy allowing these actions on every resource. */
    static String policy(String actions) {
        return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": " + actions
                + ", \"Resource\": \"*\"}]}";
    }

    /** docs/iam-policy.json with each Resource turned into "*": moto checks DynamoDB actions against "*" only. */
    static String withAnyResource(String policy) throws IOException {
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(policy);
        doc.get("Statement").forEach(s -> ((ObjectNode) s).put("Resource", "*"));
        return doc.toString();
    }

    // ---- trigger files

    /** The spec's IAM-users example: its TriggerAuthentication and ScaledObject verbatim, its Secret holding these keys. */
    static Path usersExample(Keys keys) throws IOException {
        String[] docs = Files.readString(EXAMPLES.resolve("keda-iam-users.yaml")).split("\n---\n");
        assertEquals(3, docs.length, "the example holds a Secret, a TriggerAuthentication and a ScaledObject");
        assertTrue(docs[0].contains("kind: Secret") && docs[1].contains("kind: TriggerAuthentication")
                && docs[2].contains("kind: ScaledObject"));
        return write("users-example.yaml", secret("test-secrets", Map.of("AWS_ACCESS_KEY_ID", keys.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", keys.secretAccessKey(), "AWS_SESSION_TOKEN", keys.sessionToken()))
                + "---\n" + docs[1] + "\n---\n" + docs[2]);
    }

    /** A ScaledObject on {@code table} whose TriggerAuthentication maps these Secret values to these parameters. */
    static Path trigger(String name, String table, int pollingInterval, Map<String, String> parameters) throws IOException {
        Map<String, String> values = new HashMap<>();
        StringBuilder refs = new StringBuilder();
        parameters.forEach((parameter, value) -> {
            values.put(parameter.toUpperCase(), value);
            refs.append("  - {parameter: ").append(parameter).append(", name: ").append(name).append("-secret, key: ")
                    .append(parameter.toUpperCase()).append("}\n");
        });
        return write(name + ".yaml", secret(name + "-secret", values) + """
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: %1$s-auth, namespace: %2$s}
                spec:
                  secretTargetRef:
                %3$s---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  scaleTargetRef: {name: orders-consumer}
                  pollingInterval: %5$d
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef: {name: %1$s-auth}
                    metadata: {awsRegion: ap-northeast-1, tableName: %4$s, shardCount: "2"}
                """.formatted(name, NS, refs, table, pollingInterval));
    }

    static Path keysTrigger(String name, String table, Keys keys) throws IOException {
        return trigger(name, table, 30, Map.of("awsAccessKeyID", keys.accessKeyId(),
                "awsSecretAccessKey", keys.secretAccessKey()));
    }

    static Path roleTrigger(String name, String role, String externalId) throws IOException {
        return trigger(name, "keda-events", 30, Map.of("awsRoleArn", "arn:aws:iam::123456789012:role/" + role,
                "awsExternalId", externalId));
    }

    static String secret(String name, Map<String, String> values) {
        StringBuilder s = new StringBuilder("apiVersion: v1\nkind: Secret\nmetadata: {name: " + name + ", namespace: "
                + NS + "}\nstringData:\n");
        new TreeSet<>(values.keySet()).forEach(k -> s.append("  ").append(k).append(": '").append(values.get(k))
                .append("'\n"));
        return s.toString();
    }

    static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    // ---- environment

    /** moto for DynamoDB, DynamoDB Streams and STS, through the SDK's own settings; ambient keys when given. */
    static Map<String, String> env(Keys ambient) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_ENDPOINT_URL", moto.url().toString(),
                "AWS_ENDPOINT_URL_STS", moto.url().toString()));
        if (ambient != null) {
            env.put("AWS_ACCESS_KEY_ID", ambient.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", ambient.secretAccessKey());
        }
        return env;
    }

    static Result agentRun(Keys ambient, String... args) throws IOException, InterruptedException {
        Result r = AgentJarRun.run(env(ambient), dir, args);
        System.out.println("=== " + String.join(" ", args) + "\n" + r);
        return r;
    }

    static void assertNoSecret(String output, String... more) {
        List<String> secrets = new ArrayList<>(account.secrets());
        secrets.addAll(List.of(more));
        secrets.forEach(s -> assertFalse(output.contains(s), "a credential (" + s.length() + " chars, starting "
                + s.substring(0, 2) + ") appears in the output:\n" + output));
    }

    // ---- cases

    interface TriggerFile {
        Path make() throws IOException;
    }

    static Stream<Arguments> checkRows() {
        String keda = "keda-test/aws-dynamodb-stream-scaledobject trigger 0 table keda-events in ap-northeast-1: ";
        String counted = "1 shards (1 open, 0 closed), metric 1, active (activation 0); desired replicas 1";
        return Stream.of(
                // name, trigger file, ambient keys, exit code, what stdout says
                Arguments.of("spec example, IAM users: AssumeRole keys with a session token",
                        (TriggerFile) () -> usersExample(temporary), (Supplier<Keys>) () -> null, 0, keda + counted),
                Arguments.of("spec example, IAM role: verbatim, assumed through moto's STS",
                        (TriggerFile) () -> EXAMPLES.resolve("keda-iam-role.yaml"), (Supplier<Keys>) () -> agent, 0,
                        keda + counted),
                Arguments.of("least privilege (docs/iam-policy.json's actions), a user's long-term keys",
                        (TriggerFile) () -> keysTrigger("least", "keda-events", leastKeys), (Supplier<Keys>) () -> null,
                        0, "keda-test/least trigger 0 table keda-events in ap-northeast-1: " + counted),
                Arguments.of("awsExternalId the trust policy requires",
                        (TriggerFile) () -> roleTrigger("external-right", CROSS_ACCOUNT, RIGHT_EXTERNAL_ID),
                        (Supplier<Keys>) () -> agent, 0, "table keda-events in ap-northeast-1: " + counted),
                Arguments.of("policy without DescribeStream",
                        (TriggerFile) () -> keysTrigger("no-stream-policy", "keda-events", noStreamKeys),
                        (Supplier<Keys>) () -> null, 1, "error ACCESS_DENIED: DescribeStream of table keda-events in"
                                + " ap-northeast-1: access denied for static keys (AccessDenied, HTTP 403): grant"
                                + " dynamodb:DescribeStream on arn:aws:dynamodb:ap-northeast-1:<account>:table/keda-events/stream/*"),
                Arguments.of("wrong secret key",
                        (TriggerFile) () -> keysTrigger("wrong-secret", "keda-events", leastKeys.withSecret(WRONG_SECRET)),
                        (Supplier<Keys>) () -> null, 1, "error INVALID_CREDENTIALS: DescribeTable keda-events in"
                                + " ap-northeast-1: AWS rejected static keys (SignatureDoesNotMatch, HTTP 403): check the"
                                + " keys (and session token) in the trigger's TriggerAuthentication and its Secret"),
                Arguments.of("missing table",
                        (TriggerFile) () -> keysTrigger("missing", "no-such-table", leastKeys), (Supplier<Keys>) () -> null,
                        1, "error TABLE_NOT_FOUND: table no-such-table not found in region ap-northeast-1: check"
                                + " tableName and awsRegion of the trigger"),
                Arguments.of("table without a stream",
                        (TriggerFile) () -> keysTrigger("no-stream", "plain-table", leastKeys), (Supplier<Keys>) () -> null,
                        1, "error STREAM_NOT_ENABLED: table plain-table has no stream enabled: enable DynamoDB Streams on it"),
                Arguments.of("awsExternalId the trust policy does not accept",
                        (TriggerFile) () -> roleTrigger("external-wrong", CROSS_ACCOUNT, WRONG_EXTERNAL_ID),
                        (Supplier<Keys>) () -> agent, 1, "error ACCESS_DENIED: AssumeRole of role"
                                + " arn:aws:iam::123456789012:role/cross-account-reader (to sign DescribeTable keda-events in"
                                + " ap-northeast-1): access denied for the agent's own credentials (default chain)"
                                + " (AccessDenied, HTTP 403): the role's trust policy must allow that principal to assume"
                                + " it and its sts:ExternalId condition must equal the trigger's awsExternalId, and the"
                                + " principal needs sts:AssumeRole on arn:aws:iam::123456789012:role/cross-account-reader"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkRows")
    void check(String name, TriggerFile file, Supplier<Keys> ambient, int exit, String says) throws Exception {
        Result r = agentRun(ambient.get(), "check", "-f", file.make().toString());

        assertAll(
                () -> assertEquals(exit, r.exit(), r::toString),
                () -> assertTrue(r.out().contains(says), () -> "stdout lacks\n" + says + "\n" + r),
                () -> assertFalse(r.all().contains("check awsEndpoint, awsRegion and the network"), r::toString),
                () -> assertNoSecret(r.all(), WRONG_SECRET, WRONG_EXTERNAL_ID));
    }

    static Stream<Arguments> runOnceRows() {
        String example = "ScaledObject keda-test/aws-dynamodb-stream-scaledobject Deployment/nginx-deployment: ";
        return Stream.of(
                // name, trigger file, ambient keys, exit code, decision line, replicas after (from 0)
                Arguments.of("spec example, IAM users", (TriggerFile) () -> usersExample(temporary),
                        (Supplier<Keys>) () -> null, 0, example + "table keda-events shards total=1 open=1 metric=1/2;"
                                + " replicas 0 -> 1 reason=Activated", 1),
                Arguments.of("spec example, IAM role", (TriggerFile) () -> EXAMPLES.resolve("keda-iam-role.yaml"),
                        (Supplier<Keys>) () -> agent, 0, example + "table keda-events shards total=1 open=1 metric=1/2;"
                                + " replicas 0 -> 1 reason=Activated", 1),
                Arguments.of("policy without DescribeStream: the read fails, nothing is written",
                        (TriggerFile) () -> trigger("run-no-stream-policy", "keda-events", 30, Map.of(
                                "awsAccessKeyID", noStreamKeys.accessKeyId(),
                                "awsSecretAccessKey", noStreamKeys.secretAccessKey())),
                        (Supplier<Keys>) () -> null, 1, "ScaledObject keda-test/run-no-stream-policy"
                                + " Deployment/orders-consumer: table keda-events probe failed [ACCESS_DENIED]:"
                                + " DescribeStream of table keda-events in ap-northeast-1: access denied for static keys"
                                + " (AccessDenied, HTTP 403): grant dynamodb:DescribeStream", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runOnceRows")
    void runOnce(String name, TriggerFile file, Supplier<Keys> ambient, int exit, String line, Integer replicas)
            throws Exception {
        kube.client().apps().deployments().inNamespace(NS).withName("nginx-deployment")
                .edit(d -> {
                    d.getSpec().setReplicas(0);
                    return d;
                });
        int ordersBefore = kube.specReplicas("apps/v1", "Deployment", NS, "orders-consumer");

        Result r = agentRun(ambient.get(), "run", "--once", "-f", file.make().toString(), "--kubeconfig",
                kubeconfig.toString(), "--management-port", "-1");

        assertAll(
                () -> assertEquals(exit, r.exit(), r::toString),
                () -> assertTrue(r.all().contains(line), () -> "lacks\n" + line + "\n" + r),
                () -> assertEquals(replicas == null ? 0 : replicas,
                        kube.specReplicas("apps/v1", "Deployment", NS, "nginx-deployment")),
                () -> assertEquals(ordersBefore, kube.specReplicas("apps/v1", "Deployment", NS, "orders-consumer")),
                () -> assertFalse(r.all().contains("check awsEndpoint, awsRegion and the network"), r::toString),
                () -> assertNoSecret(r.all()));
    }

    @Test
    void validateShowsOnlyWhetherAnExternalIdIsSet() throws Exception {
        Result r = agentRun(null, "validate", "-f", roleTrigger("external-validate", CROSS_ACCOUNT, RIGHT_EXTERNAL_ID)
                .toString(), "-o", "json");

        JsonNode auth = new ObjectMapper().readTree(r.out()).get(0).get("auth");
        assertAll(
                () -> assertEquals(0, r.exit(), r::toString),
                () -> assertEquals("role", auth.get("method").asText()),
                () -> assertTrue(auth.get("externalId").asBoolean(), auth::toString),
                () -> assertNoSecret(r.all()));
    }

    /**
     * A running agent (pollingInterval 1) whose table's stream is disabled, then replaced. moto 5.2.1 cannot re-enable
     * a disabled stream (UpdateTable answers "Cannot enable stream": it never clears the old stream label) and answers
     * DescribeStream of a disabled stream with a 500, so the stream comes back the only way moto allows: the table
     * is deleted and created again with a stream, which gives it a new LatestStreamArn.
     */
    @Test
    void aRunningAgentFollowsAStreamDisabledThenReplaced() throws Exception {
        String oldArn = account.latestStreamArn("orders");
        Path file = trigger("orders", "orders", 1, Map.of("awsAccessKeyID", leastKeys.accessKeyId(),
                "awsSecretAccessKey", leastKeys.secretAccessKey()));
        String counted = "table orders shards total=1 open=1 metric=1/2";
        try (AgentJarRun run = AgentJarRun.start(env(null), dir, "run", "-f", file.toString(), "--kubeconfig",
                kubeconfig.toString(), "--management-port", "-1", "--leader-election", "false")) {
            int at = run.await(0, l -> l.contains(counted), Duration.ofSeconds(60));

            account.disableStream("orders");
            String disabled = "table orders probe failed [STREAM_NOT_ENABLED]: table orders has no stream enabled:"
                    + " enable DynamoDB Streams on it";
            at = run.await(at + 1, l -> l.contains(disabled), Duration.ofSeconds(60));

            account.deleteTable("orders");
            String newArn = account.createTable("orders", true);
            String replaced = "table orders in ap-northeast-1: its stream was replaced: counting " + newArn
                    + " (was " + oldArn + ")";
            at = run.await(at + 1, l -> l.contains(replaced), Duration.ofSeconds(60));
            run.await(at + 1, l -> l.contains(counted), Duration.ofSeconds(60));

            String output = run.output();
            System.out.println("=== running agent, stream disabled then replaced\n" + output);
            Set<String> failures = new TreeSet<>();
            run.lines().stream().filter(l -> l.contains("probe failed [")).forEach(l ->
                    failures.add(l.replaceAll(".*probe failed \\[([A-Z_]+)].*", "$1")));
            assertAll(
                    () -> assertFalse(oldArn.equals(newArn)),
                    // Between the delete and the create a poll may find no table: that is said, and nothing else.
                    () -> assertTrue(failures.contains("STREAM_NOT_ENABLED")
                            && Set.of("STREAM_NOT_ENABLED", "TABLE_NOT_FOUND").containsAll(failures), failures::toString),
                    () -> assertFalse(output.contains("check awsEndpoint, awsRegion and the network"), output),
                    () -> assertNoSecret(output));
        }
    }
}
