package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.TriggerReconciler;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Secret in the cluster (not in the trigger files) is read again every minute: rotated keys take effect
 * with no change to the files, and the client built for the old keys is closed.
 */
class SecretRotationIT {

    static final String OLD_KEY = "AKIAROTATE0000000001";
    static final String NEW_KEY = "AKIAROTATE0000000002";

    /** The system clock, which the test can move forward: the minute passes without waiting for it. */
    static final class JumpClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    AgentHarness h;
    ScalerAgent agent;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        h.aws.state().createTable("orders", 2);
        h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        writeSecret(OLD_KEY);
        // The spec's shape: the TriggerAuthentication names a Secret that only the cluster holds.
        h.writeTriggers("so.yaml", """
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: orders-auth, namespace: keda-test}
                spec:
                  secretTargetRef:
                  - {parameter: awsAccessKeyID, name: orders-keys, key: AWS_ACCESS_KEY_ID}
                  - {parameter: awsSecretAccessKey, name: orders-keys, key: AWS_SECRET_ACCESS_KEY}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: orders-consumer, namespace: keda-test}
                spec:
                  scaleTargetRef: {name: consumer}
                  pollingInterval: 1
                  minReplicaCount: 1
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef: {name: orders-auth}
                    metadata: {awsRegion: us-east-1, awsEndpoint: "%s", tableName: orders, shardCount: "2"}
                """.formatted(h.aws.endpoint()));
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        h.close();
    }

    private void writeSecret(String keyId) {
        h.kube.client().secrets().inNamespace(AgentHarness.NS).resource(new SecretBuilder()
                .withNewMetadata().withName("orders-keys").withNamespace(AgentHarness.NS).endMetadata()
                .withStringData(Map.of("AWS_ACCESS_KEY_ID", keyId, "AWS_SECRET_ACCESS_KEY", "secret-of-" + keyId))
                .build()).createOr(r -> r.update());
    }

    private long callsWith(String keyId) {
        return h.aws.requests().stream().map(LoggedRequest::accessKeyId).filter(keyId::equals).count();
    }

    @Test
    void aRotatedClusterSecretTakesEffectWithinAMinuteAndTheOldClientIsClosed() throws Exception {
        JumpClock clock = new JumpClock();
        AwsShardCounter counter = new AwsShardCounter(AgentHarness.probeOptions());
        agent = AgentAssembly.create(h.options(false, false, null), h.kubeconfig, counter, clock);
        agent.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> callsWith(OLD_KEY) >= 2);

        writeSecret(NEW_KEY);
        agent.checkForChanges();
        long oldBefore = callsWith(OLD_KEY);
        assertEquals(0, callsWith(NEW_KEY), "within the minute the files did not change: the old keys still sign");

        clock.offset = TriggerReconciler.SECRET_REFRESH.plusSeconds(1);
        agent.checkForChanges();
        await().atMost(Duration.ofSeconds(15)).until(() -> callsWith(NEW_KEY) >= 2);
        long oldAfter = callsWith(OLD_KEY);
        long newAfter = callsWith(NEW_KEY);
        await().atMost(Duration.ofSeconds(15)).until(() -> callsWith(NEW_KEY) >= newAfter + 2); // two more polls
        assertEquals(oldAfter, callsWith(OLD_KEY), "the old keys sign nothing any more");
        assertTrue(oldAfter >= oldBefore);
        assertEquals(1, counter.clientCount(), "the old keys' client was closed, one client set is left");
    }
}
