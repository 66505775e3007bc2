package io.ddbstreamscaler.cluster;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standalone agent (no POD_NAME: leader election off) scales a real Deployment as the table's stream splits on
 * the AWS simulator: the ReplicaSet controller creates the Pods, the scheduler binds them, kwok runs them;
 * {@code kubectl get deploy} shows the count and {@code kubectl get events} the agent's SuccessfulRescale. A rotated
 * Secret is used within the minute README promises; a user's {@code kubectl scale} is undone as the HPA undoes it, and
 * the repeated Event is patched, not duplicated; an edited trigger file scales down.
 */
@ExtendWith(ClusterExtension.class)
@Order(2)
class StandaloneScaleIT {

    static final String NS = "e2e-standalone";
    static final String TABLE = "orders";
    static final String FIRST_KEY = "AKIAFIRSTKEY00000001";
    static final String SECOND_KEY = "AKIASECONDKEY0000002";
    /** README, "cluster Secrets are re-read every minute" (ScalerAgent.SECRET_REFRESH). */
    static final Duration SECRET_REFRESH = Duration.ofMinutes(1);

    static TestNamespace ns;
    @AutoClose
    static AwsSimulator aws;
    @AutoClose
    static AgentProcess agent;
    static Path triggers;

    @BeforeAll
    static void agentScalingNginx(LocalCluster cluster) {
        ns = TestNamespace.create(cluster, NS);
        ns.applyOverlay("standalone", List.of());
        ns.awsKeys(FIRST_KEY, "first-secret");
        ns.deployment("nginx-deployment", 1);
        aws = AwsSimulator.start(Clock.systemUTC(), Triggers.REGION, 0);
        aws.state().createTable(TABLE, 4);
        triggers = ns.triggers("orders.yaml", scaledObject(2));
        agent = AgentProcess.start(AgentProcess.Setup.of("standalone", ns.agentKubeconfig(), aws.endpoint()),
                "-f", triggers.toString());
        Scenarios.ran(NS);
    }

    static String scaledObject(int shardCount) {
        return Triggers.file(NS, Triggers.scaledObject(NS, "orders", Triggers.Target.deployment("nginx-deployment"), TABLE,
                Triggers.Options.defaults().shardCount(shardCount)));
    }

    @Test
    @Order(1)
    void theDeploymentFollowsTheShardsAndItsPodsRun() {
        awaitReplicas(2, 2);   // 4 shards at target 2

        aws.state().split(TABLE, 1);   // 6 shards (1 closed, 5 open): 3
        awaitReplicas(3, 3);
        aws.state().split(TABLE, 1);   // 8 shards: 4
        awaitReplicas(4, 4);

        assertEquals(4, ns.runningPods("app=nginx-deployment").size());
        String events = ns.cluster().kubectl("-n", NS, "get", "events", "--field-selector",
                "involvedObject.kind=Deployment,involvedObject.name=nginx-deployment,reason=SuccessfulRescale",
                "-o", "custom-columns=REASON:.reason,SOURCE:.source.component,MESSAGE:.message");
        assertTrue(events.contains("New size: 4; reason: 8 shards at target 2, table orders"), events);
        assertTrue(events.contains("ddbstream-scaler"), events);
        List<AuditLog.Request> writes = audit().requests(AuditLog.scaleWrite().and(r -> r.namespace().equals(NS)));
        assertEquals(3, writes.size(), () -> "three /scale writes, 1 -> 2 -> 3 -> 4: " + writes);
        assertTrue(writes.stream().allMatch(r -> r.user().equals(AuditLog.agentUser(NS))), writes::toString);
        agent.await(l -> l.contains("scaled Deployment " + NS + "/nginx-deployment from 3 to 4 replicas"), Duration.ofSeconds(5));
    }

    @Test
    @Order(2)
    void aRotatedSecretIsUsedWithinAMinuteAndAHandScaleIsUndoneWithOnePatchedEvent() {
        ns.awsKeys(SECOND_KEY, "second-secret");
        Instant rotated = Instant.now();
        // A user scales by hand; the agent puts the count back on its next poll, as the HPA would.
        ns.cluster().kubectl("-n", NS, "scale", "deployment/nginx-deployment", "--replicas=1");
        awaitReplicas(4, 4);

        // Bound: the refresh period, the agent's 2 s file watch, one poll interval, and slack for a loaded machine.
        Duration bound = SECRET_REFRESH.plusSeconds(2 + 2 + 20);
        await().atMost(bound).pollInterval(Duration.ofMillis(500))
                .until(() -> describeStreams().stream().anyMatch(r -> SECOND_KEY.equals(r.accessKeyId())));
        Instant firstNew = describeStreams().stream().filter(r -> SECOND_KEY.equals(r.accessKeyId())).findFirst()
                .orElseThrow().at();
        System.out.printf("cluster-tests: rotated Secret used %.1f s after kubectl apply%n",
                Duration.between(rotated, firstNew).toMillis() / 1000.0);
        agent.await(l -> l.contains("ScaledObject " + NS + "/orders reloaded (its Secret changed)"), Duration.ofSeconds(5));

        // The Event aggregates as client-go's does: a repeat at least 30 s after the last write is a PATCH of the same
        // object (count, lastTimestamp), so a second hand scale, 30 s after the agent's last Event write, is patched.
        Instant lastEventWrite = lastEventWrite();
        await().atMost(Duration.ofSeconds(40)).until(() -> Instant.now().isAfter(lastEventWrite.plusSeconds(31)));
        ns.cluster().kubectl("-n", NS, "scale", "deployment/nginx-deployment", "--replicas=1");
        awaitReplicas(4, 4);
        await().atMost(Duration.ofSeconds(30)).until(() -> !audit().requests(AuditLog.byAgentOf(NS)
                .and(r -> r.resource().equals("events") && r.verb().equals("patch") && r.ok())).isEmpty());
        String counts = ns.cluster().kubectl("-n", NS, "get", "events", "--field-selector",
                "involvedObject.name=nginx-deployment,reason=SuccessfulRescale", "-o",
                "jsonpath={range .items[*]}{.count} {.message}{'\\n'}{end}");
        assertTrue(counts.lines().anyMatch(l -> l.matches("[2-9]\\d* New size: 4; .*")), counts);

        // After the first request with the new key, the old one is never used again.
        Instant cutoff = firstNew.plusSeconds(1);
        assertFalse(describeStreams().stream().anyMatch(r -> r.at().isAfter(cutoff) && FIRST_KEY.equals(r.accessKeyId())),
                "the old key was used after the new one");
    }

    @Test
    @Order(3)
    void anEditedTriggerFileScalesDown() {
        LocalCluster.write(triggers.resolve("orders.yaml"), scaledObject(8));   // 8 shards at target 8: 1

        awaitReplicas(1, 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> ns.runningPods("app=nginx-deployment").size() == 1);
        agent.await(l -> l.contains("from 4 to 1 replicas"), Duration.ofSeconds(5));
        assertTrue(agent.output().contains("replicas 4 -> 1 reason=ScaleDown"), agent::output);
        String events = ns.cluster().kubectl("-n", NS, "get", "events", "--field-selector",
                "involvedObject.name=nginx-deployment,reason=SuccessfulRescale", "-o", "jsonpath={.items[*].message}");
        assertTrue(events.contains("New size: 1; reason: 8 shards at target 8, table orders"), events);
    }

    private static void awaitReplicas(int spec, int ready) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            int[] r = ns.replicas("deployment/nginx-deployment");
            assertEquals(spec + "/" + ready, r[0] + "/" + r[1], () -> "deployment/nginx-deployment spec/ready; agent:\n"
                    + String.join("\n", agent.linesFrom(Math.max(0, agent.lineCount() - 10))));
        });
    }

    private static List<LoggedRequest> describeStreams() {
        return aws.requests("DescribeStream");
    }

    private static Instant lastEventWrite() {
        return audit().requests(AuditLog.byAgentOf(NS).and(r -> r.resource().equals("events") && r.write()))
                .stream().map(AuditLog.Request::completed).max(Instant::compareTo).orElse(Instant.now());
    }

    private static AuditLog audit() {
        return new AuditLog(ns.cluster().auditLog());
    }
}
