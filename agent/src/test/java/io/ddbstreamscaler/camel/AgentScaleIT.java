package io.ddbstreamscaler.camel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real routes, end to end: a shard split in the AWS simulator becomes a write to /scale in the Kubernetes one. */
class AgentScaleIT {

    static final String DEPLOYMENT_SCALE = "/apis/apps/v1/namespaces/keda-test/deployments/consumer/scale";

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        h.aws.state().createTable("orders", 2);
        h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aShardSplitScalesTheDeploymentUpThroughTheScaleSubresource() throws Exception {
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
        ScalerAgent agent = h.start(h.options(false, false, null));
        // 2 shards / 2 per replica = 1 replica: polls happen, nothing is written.
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.store().require("keda-test/orders-consumer").polls() >= 2);
        assertTrue(h.kube.dispatcher().requests("PUT", DEPLOYMENT_SCALE).isEmpty(), "no write while nothing changes");

        h.aws.state().split("orders", 2); // both open shards split: 2 closed + 4 open = 6 shards -> 3 replicas
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(3).equals(h.replicas("Deployment", "consumer")));
        var puts = h.kube.dispatcher().requests("PUT", DEPLOYMENT_SCALE);
        assertEquals(1, puts.size(), "one write, through the scale subresource");
        assertTrue(puts.get(0).body().contains("\"replicas\":3"), puts.get(0).body());
        await().atMost(Duration.ofSeconds(5)).until(() -> AgentHarness.counter(agent, "ddbstream.scaler.scale.writes",
                "direction", "up", "outcome", "success") == 1);
        assertEquals(6.0, agent.registry().find("keda.scaler.metrics.value").gauge().value());
    }

    @Test
    void aStatefulSetIsScaledThroughItsScaleSubresource() throws Exception {
        h.kube.createStatefulSet(AgentHarness.NS, "readers", 1, Map.of("app", "readers"));
        h.aws.state().split("orders", 2);
        h.writeTriggers("so.yaml", h.scaledObject("readers", "orders", "StatefulSet", "readers", 2, ""));
        h.start(h.options(false, false, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(3).equals(h.replicas("StatefulSet", "readers")));
        assertEquals(1, h.kube.dispatcher().requests("PUT", "/apis/apps/v1/namespaces/keda-test/statefulsets/readers/scale").size());
    }

    @Test
    void aConflictOnTheWriteIsReReadAndRetried() throws Exception {
        h.aws.state().split("orders", 2);
        h.kube.dispatcher().inject("PUT", DEPLOYMENT_SCALE, 409, 1);
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
        h.start(h.options(false, false, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> Integer.valueOf(3).equals(h.replicas("Deployment", "consumer")));
        assertTrue(h.kube.dispatcher().requests("PUT", DEPLOYMENT_SCALE).size() >= 2, "the 409 was followed by a retry");
    }

    @Test
    void forbiddenIsReportedAndNothingIsWritten() throws Exception {
        h.aws.state().split("orders", 2);
        h.kube.dispatcher().inject("PUT", DEPLOYMENT_SCALE, 403, -1);
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
        ScalerAgent agent = h.start(h.options(false, false, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> AgentHarness.counter(agent, "keda.scaled.object.errors") >= 2);
        assertEquals(1, h.replicas("Deployment", "consumer"));
        assertTrue(agent.store().require("keda-test/orders-consumer").polls() >= 2, "the route keeps polling");
        // Once the Role is fixed, the next poll writes.
        h.kube.dispatcher().clearFaults();
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(3).equals(h.replicas("Deployment", "consumer")));
    }

    @Test
    void dryRunDecidesButNeverWrites() throws Exception {
        h.aws.state().split("orders", 2);
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
        ScalerAgent agent = h.start(h.options(true, false, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.store().require("keda-test/orders-consumer").polls() >= 2);
        assertEquals(3, agent.store().require("keda-test/orders-consumer").lastDecision().desiredReplicas());
        assertEquals(1, h.replicas("Deployment", "consumer"));
        assertTrue(h.kube.dispatcher().requests("PUT", ".*/scale").isEmpty());
    }

    /**
     * The broken one starts at 3 replicas with no scale-down stabilization and minReplicaCount 1: a failed probe
     * misread as 0 shards would scale it to 1 on its next poll, so "never moves the count" can fail.
     */
    @Test
    void oneBrokenScaledObjectNeverStopsAnother() throws Exception {
        h.aws.state().split("orders", 2);
        h.kube.createDeployment(AgentHarness.NS, "ghost-consumer", 3, Map.of("app", "ghost"));
        h.writeTriggers("a.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
        h.writeTriggers("b.yaml", h.scaledObject("ghost", "no-such-table", "Deployment", "ghost-consumer", 2, """
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown: {stabilizationWindowSeconds: 0}
                """));
        ScalerAgent agent = h.start(h.options(false, false, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(3).equals(h.replicas("Deployment", "consumer")));
        await().atMost(Duration.ofSeconds(10)).until(() -> AgentHarness.counter(agent, "keda.scaler.detail.errors",
                "scaledObject", "ghost") >= 3);
        assertEquals(3, h.replicas("Deployment", "ghost-consumer"), "a failed probe never moves the count");
        assertTrue(h.kube.dispatcher().requests("PUT", ".*/ghost-consumer/scale").isEmpty()
                && h.kube.dispatcher().requests("PATCH", ".*/ghost-consumer/scale").isEmpty(), "nothing written to it");
    }
}
