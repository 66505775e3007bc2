package io.ddbstreamscaler.moto;

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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kclLeaseTable} against moto 5.2.1 with SigV4 and IAM enforced: the built agent Scans a lease table written
 * the way KCL writes it (attributes and types of DynamoDBLeaseSerializer, KCL 3's included), as a user holding
 * docs/iam-policy.json's actions (its three statements, Resource "*": see docs/moto.md), and is denied the Scan by a
 * policy without {@code dynamodb:Scan}. moto lists one shard per stream, so the lineage cases are WorkLeftTest's and
 * AwsLeaseTableIT's; what this shows is the Scan itself: signed, paged, projected, authorised, and its refusals typed.
 */
class MotoLeaseTableIT {

    static final String NS = "keda-test";
    static final String LEASES = "keda-events-consumer";

    @TempDir
    static Path dir;

    static MotoServer moto;
    static MotoAccount account;
    static KubeApiSimulator kube;
    static Path kubeconfig;
    static Keys leastKeys;   // docs/iam-policy.json's three actions
    static Keys noScanKeys;  // DescribeTable and DescribeStream only: what the policy granted before kclLeaseTable
    static String shard;

    @BeforeAll
    static void setUp() throws Exception {
        moto = MotoServer.start(dir);
        account = new MotoAccount(moto.url());
        account.createTable("keda-events", true);
        shard = account.shardIds("keda-events").get(0);
        account.createLeaseTable(LEASES);
        // The listed shard, being read by a KCL 3.x worker (a handoff under way: checkpointOwner); a finished shard
        // DynamoDB no longer lists (its lease is not counted).
        account.putItem(LEASES, lease(shard, "49590338271490256608559692538361571095921575989136588898", "worker-a",
                Map.of("throughputKBps", AttributeValue.fromN("3.5"), "checkpointOwner", AttributeValue.fromS("worker-b"))));
        account.putItem(LEASES, lease("shardId-00000001600000000000-00000000", "SHARD_END", null, Map.of()));

        leastKeys = account.createUser("least-privilege",
                MotoConformanceIT.withAnyResource(Files.readString(Path.of("docs", "iam-policy.json"))));
        noScanKeys = account.createUser("no-scan", MotoConformanceIT.policy(
                "[\"dynamodb:DescribeTable\", \"dynamodb:DescribeStream\"]"));
        moto.enforceIam();

        kube = KubeApiSimulator.start();
        kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), NS);
        kube.createDeployment(NS, "kcl-consumer", 0, Map.of("app", "kcl-consumer"));
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

    /** A lease item with the attributes KCL 2.x and 3.x write (DynamoDBLeaseSerializer.toDynamoRecord). */
    static Map<String, AttributeValue> lease(String key, String checkpoint, String owner, Map<String, AttributeValue> more) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("leaseKey", AttributeValue.fromS(key));
        item.put("leaseCounter", AttributeValue.fromN("17"));
        if (owner != null) {
            item.put("leaseOwner", AttributeValue.fromS(owner));
        }
        item.put("ownerSwitchesSinceCheckpoint", AttributeValue.fromN("0"));
        item.put("checkpoint", AttributeValue.fromS(checkpoint));
        item.put("checkpointSubSequenceNumber", AttributeValue.fromN("0"));
        item.putAll(more);
        return item;
    }

    static Path trigger(String name, String leaseTable, Keys keys) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), MotoConformanceIT.secret(name + "-secret",
                Map.of("ID", keys.accessKeyId(), "SECRET", keys.secretAccessKey())) + """
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: %1$s-auth, namespace: %2$s}
                spec:
                  secretTargetRef:
                  - {parameter: awsAccessKeyID, name: %1$s-secret, key: ID}
                  - {parameter: awsSecretAccessKey, name: %1$s-secret, key: SECRET}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  scaleTargetRef: {name: kcl-consumer}
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef: {name: %1$s-auth}
                    metadata: {awsRegion: ap-northeast-1, tableName: keda-events, shardCount: "2", kclLeaseTable: %3$s}
                """.formatted(name, NS, leaseTable));
    }

    static Result agentRun(String... args) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(Map.of("AWS_ENDPOINT_URL", moto.url().toString(),
                "AWS_ENDPOINT_URL_STS", moto.url().toString()));
        Result r = AgentJarRun.run(env, dir, args);
        System.out.println("=== " + String.join(" ", args) + "\n" + r);
        return r;
    }

    static void assertNoSecret(String output) {
        List<String> secrets = new ArrayList<>(account.secrets());
        secrets.forEach(s -> assertFalse(output.contains(s), "a credential appears in the output:\n" + output));
    }

    interface TriggerFile {
        Path make() throws IOException;
    }

    static Stream<Arguments> checkRows() {
        return Stream.of(
                // name, trigger file, exit, what stdout says
                Arguments.of("least privilege (docs/iam-policy.json, Scan included): the lease table is read",
                        (TriggerFile) () -> trigger("lease-least", LEASES, leastKeys), 0,
                        "keda-test/lease-least trigger 0 table keda-events in ap-northeast-1: 1 shards (1 open, 0 closed,"
                                + " 0 finished), metric 1, active (activation 0), counted from the KCL lease table"
                                + " keda-events-consumer: 0 finished, 1 worker (at most 1 lease on one); desired replicas 1"),
                Arguments.of("a policy without dynamodb:Scan: denied, and the message names the table and the action",
                        (TriggerFile) () -> trigger("lease-no-scan", LEASES, noScanKeys), 1,
                        "error ACCESS_DENIED: Scan of KCL lease table keda-events-consumer in ap-northeast-1: access"
                                + " denied for static keys (AccessDenied, HTTP 403): grant dynamodb:Scan on"
                                + " arn:aws:dynamodb:ap-northeast-1:<account>:table/keda-events-consumer"),
                Arguments.of("a lease table that does not exist: an error, never KEDA's count",
                        (TriggerFile) () -> trigger("lease-missing", "no-such-leases", leastKeys), 1,
                        "error TABLE_NOT_FOUND: KCL lease table no-such-leases not found in region ap-northeast-1:"
                                + " check kclLeaseTable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkRows")
    void check(String name, TriggerFile file, int exit, String says) throws Exception {
        Result r = agentRun("check", "-f", file.make().toString());

        assertAll(
                () -> assertEquals(exit, r.exit(), r::toString),
                () -> assertTrue(r.out().contains(says), () -> "stdout lacks\n" + says + "\n" + r),
                () -> assertFalse(r.all().contains("check awsEndpoint, awsRegion and the network"), r::toString),
                () -> assertNoSecret(r.all()));
    }

    @Test
    void checkJsonSaysHowTheCountWasMade() throws Exception {
        Result r = agentRun("check", "-f", trigger("lease-json", LEASES, leastKeys).toString(), "-o", "json");

        var leases = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get(0).get("leases");
        assertAll(
                () -> assertEquals(0, r.exit(), r::toString),
                () -> assertEquals(LEASES, leases.get("table").asText()),
                () -> assertEquals(1, leases.get("workLeft").asInt()),
                () -> assertEquals(2, leases.get("leasesRead").asInt()),
                () -> assertEquals(1, leases.get("unlistedLeases").asInt(), "the SHARD_END lease of an unlisted shard"),
                () -> assertEquals(1, leases.get("byWorker").get("worker-a").asInt()));
    }

    @Test
    void runOnceScalesOnTheShardsWithWorkLeft() throws Exception {
        Result r = agentRun("run", "--once", "-f", trigger("lease-run", LEASES, leastKeys).toString(), "--kubeconfig",
                kubeconfig.toString(), "--management-port", "-1");

        String line = "ScaledObject keda-test/lease-run Deployment/kcl-consumer: table keda-events shards total=1 open=1"
                + " finished=0 metric=1/2 (KCL lease table keda-events-consumer: 0 finished, 1 worker (at most 1 lease on"
                + " one)); replicas 0 -> 1 reason=Activated";
        assertAll(
                () -> assertEquals(0, r.exit(), r::toString),
                () -> assertTrue(r.all().contains(line), () -> "lacks\n" + line + "\n" + r),
                () -> assertEquals(1, kube.specReplicas("apps/v1", "Deployment", NS, "kcl-consumer")),
                () -> assertNoSecret(r.all()));
    }
}
