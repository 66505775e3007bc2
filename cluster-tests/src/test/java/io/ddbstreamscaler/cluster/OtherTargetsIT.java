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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targets other than a Deployment, each with the one Role rule docs/deploy.md ("Another target") tells users to add:
 * a StatefulSet (the StatefulSet controller creates its Pods in order, kwok runs them) and a custom resource whose
 * CRD declares {@code subresources.scale}, in the shape of Argo Rollouts' Rollout (manifests/rollout-crd.yaml). The
 * audit log shows that the agent touches only their {@code /scale}.
 */
@ExtendWith(ClusterExtension.class)
@Order(4)
class OtherTargetsIT {

    static final String NS = "e2e-targets";
    static final String TABLE = "events";

    static TestNamespace ns;
    @AutoClose
    static AwsSimulator aws;
    @AutoClose
    static AgentProcess agent;

    @BeforeAll
    static void agentScalingAStatefulSetAndARollout(LocalCluster cluster) {
        cluster.kubectl("apply", "-f", LocalCluster.resource("manifests/rollout-crd.yaml").toString());
        cluster.kubectl("wait", "--for=condition=Established", "crd/rollouts.argoproj.io", "--timeout=60s");
        ns = TestNamespace.create(cluster, NS);
        ns.applyOverlay("standalone", List.of(Rules.scale("apps", "statefulsets", "consumer-sts"),
                Rules.scale("argoproj.io", "rollouts", "consumer-rollout")));
        ns.awsKeys("AKIATARGETS000000001", "targets-secret");
        ns.apply("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: consumer-sts}
                spec:
                  replicas: 1
                  serviceName: consumer-sts
                  selector: {matchLabels: {app: consumer-sts}}
                  template:
                    metadata: {labels: {app: consumer-sts}}
                    spec:
                      containers:
                        - {name: consumer, image: registry.example/consumer:1}
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: consumer-rollout}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: consumer-rollout}}
                """);
        aws = AwsSimulator.start(Clock.systemUTC(), Triggers.REGION, 0);
        aws.state().createTable(TABLE, 4);
        Triggers.Options options = Triggers.Options.defaults();
        Path triggers = ns.triggers("targets.yaml", Triggers.file(NS,
                Triggers.scaledObject(NS, "sts", Triggers.Target.statefulSet("consumer-sts"), TABLE, options),
                Triggers.scaledObject(NS, "rollout", new Triggers.Target("argoproj.io/v1alpha1", "Rollout", "consumer-rollout"),
                        TABLE, options)));
        agent = AgentProcess.start(AgentProcess.Setup.of("targets", ns.agentKubeconfig(), aws.endpoint()),
                "-f", triggers.toString());
        Scenarios.ran(NS);
    }

    @Test
    @Order(1)
    void aStatefulSetAndARolloutFollowTheShards() {
        awaitSpecReplicas(2);   // 4 shards at target 2
        aws.state().split(TABLE, 1);   // 6 shards: 3
        awaitSpecReplicas(3);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertEquals(3, ns.replicas("statefulset/consumer-sts")[1], "ready Pods of consumer-sts"));
        assertEquals(List.of("consumer-sts-0", "consumer-sts-1", "consumer-sts-2"),
                ns.runningPods("app=consumer-sts").stream().sorted().toList());
        for (String kind : List.of("StatefulSet", "Rollout")) {
            String events = ns.cluster().kubectl("-n", NS, "get", "events", "--field-selector",
                    "involvedObject.kind=" + kind + ",reason=SuccessfulRescale", "-o", "jsonpath={.items[*].message}");
            assertTrue(events.contains("New size: 3; reason: 6 shards at target 2, table events"), kind + ": " + events);
        }
    }

    @Test
    @Order(2)
    void theAgentUsedOnlyTheirScaleSubresource() {
        Set<String> used = new TreeSet<>();
        for (AuditLog.Request r : new AuditLog(ns.cluster().auditLog()).requests(AuditLog.byAgentOf(NS))) {
            if (r.resource().equals("statefulsets") || r.resource().equals("rollouts")) {
                used.add(r.verb() + " " + r.apiGroup() + "/" + r.rbacResource() + " " + r.code());
            }
        }
        assertEquals(Set.of("get apps/statefulsets/scale 200", "update apps/statefulsets/scale 200",
                "get argoproj.io/rollouts/scale 200", "update argoproj.io/rollouts/scale 200"), used);
    }

    private static void awaitSpecReplicas(int replicas) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertEquals(replicas, ns.replicas("statefulset/consumer-sts")[0], "statefulset/consumer-sts");
            assertEquals(replicas, ns.replicas("rollout.argoproj.io/consumer-rollout")[0], "rollout/consumer-rollout");
        });
    }
}
