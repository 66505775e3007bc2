package io.ddbstreamscaler.cluster;

import io.ddbstreamscaler.simulator.AwsSimulator;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sidecar overlay as shipped, its consumer at two replicas: the agent runs as the identity of one Pod the
 * ReplicaSet created (POD_NAME, POD_NAMESPACE, and a token bound to that Pod, as the kubelet gives it), so leader
 * election is on and the sidecar guard reads the real owner chain, Pod -> ReplicaSet -> Deployment. Both its own
 * Deployment and another one are asked to scale to zero (no trigger active, minReplicaCount 0): the other goes to 0,
 * its own stops at 1 and is never 0 on the way (a watch sees every value the API server held).
 */
@ExtendWith(ClusterExtension.class)
@Order(3)
class SidecarGuardIT {

    static final String NS = "e2e-sidecar";

    static TestNamespace ns;
    @AutoClose
    static AwsSimulator aws;
    @AutoClose
    static AgentProcess agent;
    @AutoClose
    static ReplicaWatch ownWatch;
    static String agentPod;

    @BeforeAll
    static void agentInsideTheConsumer(LocalCluster cluster) {
        ns = TestNamespace.create(cluster, NS);
        ns.applyOverlay("sidecar", Rules.deployments("batch-consumer"));
        ns.awsKeys("AKIASIDECAR000000001", "sidecar-secret");
        ns.deployment("batch-consumer", 2);
        cluster.kubectl("-n", NS, "scale", "deployment/nginx-deployment", "--replicas=2");
        cluster.kubectl("-n", NS, "rollout", "status", "deployment/nginx-deployment", "--timeout=120s");
        List<String> pods = ns.runningPods("app=nginx");
        assertEquals(2, pods.size(), pods::toString);
        agentPod = pods.get(0);
        // The ReplicaSet removes the Pod of lower deletion cost first: the agent's own Pod stays, as it would in a
        // cluster only by luck; here the agent process outside the Pod would otherwise outlive its Pod.
        cluster.kubectl("-n", NS, "annotate", "pod", agentPod, "controller.kubernetes.io/pod-deletion-cost=1000");

        aws = AwsSimulator.start(Clock.systemUTC(), Triggers.REGION, 0);
        // 4 shards at target 2: the first poll (still in initialCooldownPeriod, 0 s) holds 2, the next asks 0.
        aws.state().createTable("idle", 4);
        Triggers.Options idle = Triggers.Options.defaults().minReplicas(0).activationShardCount(100);
        Path triggers = ns.triggers("idle.yaml", Triggers.file(NS,
                Triggers.scaledObject(NS, "consumer", Triggers.Target.deployment("nginx-deployment"), "idle", idle),
                Triggers.scaledObject(NS, "batch", Triggers.Target.deployment("batch-consumer"), "idle", idle)));
        ownWatch = new ReplicaWatch(cluster.admin(), NS, "nginx-deployment");
        agent = AgentProcess.start(AgentProcess.Setup.of("sidecar", ns.podKubeconfig(agentPod), aws.endpoint())
                .asPod(agentPod, NS), "-f", triggers.toString());
        Scenarios.ran(NS);
    }

    @Test
    void theGuardKeepsItsOwnDeploymentAtOneAndLetsAnotherGoToZero() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertEquals(0, ns.replicas("deployment/batch-consumer")[0], "batch-consumer");
            assertEquals(1, ns.replicas("deployment/nginx-deployment")[0], "nginx-deployment");
        });
        int from = agent.await(l -> l.contains("Deployment/nginx-deployment: ") && l.contains("replicas 2 -> 1 reason=SidecarFloor"),
                Duration.ofSeconds(30));
        // Three more polls at 1, each asked for 0 and kept at 1.
        int at = from;
        for (int i = 0; i < 3; i++) {
            at = agent.await(at + 1, l -> l.contains("Deployment/nginx-deployment: ") && l.contains("replicas 1 -> 1 reason=SidecarFloor"),
                    Duration.ofSeconds(30));
        }

        List<Integer> seen = ownWatch.values();
        assertEquals(List.of(2, 1), seen, "every spec.replicas of nginx-deployment the API server held");
        assertEquals(List.of(agentPod), ns.runningPods("app=nginx"), "the agent's own Pod is the one left");
        assertTrue(agent.output().contains("Deployment/batch-consumer: table idle shards total=4 open=4 metric=4/2; replicas 2 -> 0 reason=Inactive"),
                agent::output);
        assertEquals(1, agent.lines().stream().filter(l -> l.contains("scaled Deployment " + NS + "/batch-consumer")).count(),
                "one write takes batch-consumer to 0, none after it:\n" + agent.output());
    }

    @Test
    void theGuardFollowedTheRealOwnerChain() {
        String replicaSet = ns.cluster().kubectl("-n", NS, "get", "pod", agentPod, "-o",
                "jsonpath={.metadata.ownerReferences[?(@.controller==true)].name}").trim();
        String owner = ns.cluster().kubectl("-n", NS, "get", "replicaset", replicaSet, "-o",
                "jsonpath={.metadata.ownerReferences[?(@.controller==true)].kind}/{.metadata.ownerReferences[?(@.controller==true)].name}").trim();
        assertEquals("Deployment/nginx-deployment", owner);

        List<String> reads = new ArrayList<>();
        for (AuditLog.Request r : new AuditLog(ns.cluster().auditLog()).requests(AuditLog.byAgentOf(NS))) {
            if (r.verb().equals("get") && (r.resource().equals("pods") || r.resource().equals("replicasets"))) {
                reads.add(r.rbacResource() + "/" + r.name() + " " + r.code() + " by " + r.pod());
            }
        }
        assertTrue(reads.contains("pods/" + agentPod + " 200 by " + agentPod), reads::toString);
        assertTrue(reads.contains("replicasets/" + replicaSet + " 200 by " + agentPod), reads::toString);
        assertFalse(agent.output().contains("cannot read pod"), agent::output);
    }
}
