package io.ddbstreamscaler.cluster;

import io.ddbstreamscaler.simulator.AwsSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three agents as the three Pods of the standalone overlay's Deployment (scaled to 3, one Pod per fake Node): each
 * agent process runs with its Pod's name as POD_NAME and a token bound to its Pod, so the audit log names the Pod of
 * every request. Nine ScaledObjects. In turn: two agents share them, a third joins, one leaves gracefully (SIGTERM),
 * and one is lost with its Node (SIGKILL of its process, then {@code kubectl delete node}: the process is what stops
 * renewing; the Pod of a deleted Node stays listed and Ready until the pod garbage collector removes it, 51-56 s
 * later, docs/local-cluster.md). Shares and hand-overs are read from the Leases (listed, never named); every
 * {@code /scale} write in the audit log is checked against the Lease history: none from an agent that did not hold the
 * ScaledObject's Lease. Bounds: docs/leader-election.md (pass 2 s, lease 15 s).
 */
@ExtendWith(ClusterExtension.class)
@Order(5)
class FleetIT {

    static final String NS = "e2e-fleet";
    static final int SCALED_OBJECTS = 9;
    static final Duration PASS = Duration.ofSeconds(2);
    static final Duration LEASE = Duration.ofSeconds(15);
    /** Room for a loaded 2-core machine on top of each documented bound. */
    static final Duration SLACK = Duration.ofSeconds(15);
    static final String TABLE = "fleet";

    static LocalCluster cluster;
    static TestNamespace ns;
    static AwsSimulator aws;
    static LeaseHistory leases;
    static Path triggers;
    /** Agent Pods by name, and the Node each runs on. */
    static final Map<String, String> nodeOf = new TreeMap<>();
    static final Map<String, AgentProcess> agents = new LinkedHashMap<>();
    static List<String> pods;
    /** When the lost agent's Node was deleted; null before. */
    static Instant nodeDeleted;
    static int shards = 2;

    @BeforeAll
    static void threeAgentPods(LocalCluster c) {
        cluster = c;
        ns = TestNamespace.create(cluster, NS);
        String[] targets = IntStream.range(0, SCALED_OBJECTS).mapToObj(i -> "work-" + i).toArray(String[]::new);
        ns.applyOverlay("standalone", Rules.deployments(targets));
        // One agent Pod per Node, so that a lost Node takes exactly one agent with it.
        cluster.kubectl("-n", NS, "patch", "deployment", "ddbstream-scaler", "--type=strategic", "-p", """
                {"spec": {"template": {"spec": {"topologySpreadConstraints": [{"maxSkew": 1,
                  "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "DoNotSchedule",
                  "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "ddbstream-scaler"}}}]}}}}""");
        cluster.kubectl("-n", NS, "scale", "deployment/ddbstream-scaler", "--replicas=3");
        cluster.kubectl("-n", NS, "rollout", "status", "deployment/ddbstream-scaler", "--timeout=120s");
        // The rollout's old Pods leave when kwok finishes them: the three that stay, one per Node.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            pods = ns.runningPods("app.kubernetes.io/name=ddbstream-scaler").stream().sorted().toList();
            assertEquals(3, pods.size(), pods::toString);
            nodeOf.clear();
            for (String pod : pods) {
                nodeOf.put(pod, cluster.kubectl("-n", NS, "get", "pod", pod, "-o", "jsonpath={.spec.nodeName}").trim());
            }
            assertEquals(3, new HashSet<>(nodeOf.values()).size(), nodeOf::toString);
        });

        ns.awsKeys("AKIAFLEET00000000001", "fleet-secret");
        for (String target : targets) {
            ns.deployment(target, 1);
        }
        aws = AwsSimulator.start(Clock.systemUTC(), Triggers.REGION, 0);
        aws.state().createTable(TABLE, shards);
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < SCALED_OBJECTS; i++) {
            objects.add(Triggers.scaledObject(NS, "so-" + i, Triggers.Target.deployment("work-" + i), TABLE,
                    Triggers.Options.defaults().maxReplicas(10)));
        }
        triggers = ns.triggers("fleet.yaml", Triggers.file(NS, objects.toArray(String[]::new)));
        leases = new LeaseHistory(cluster.admin(), NS);
        Scenarios.ran(NS);
    }

    @AfterAll
    static void stop() {
        agents.values().forEach(AgentProcess::close);
        if (leases != null) {
            leases.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (nodeDeleted != null) {
            cluster.script("start.sh");   // creates the deleted fake Node again
        }
    }

    @Test
    @Order(1)
    void twoAgentsShareTheScaledObjects() {
        start(pods.get(0));
        start(pods.get(1));

        Map<String, Integer> shares = awaitShares(List.of(pods.get(0), pods.get(1)), Duration.ofSeconds(60));
        System.out.println("cluster-tests: two agents: " + shares);
        splitAndAwaitEveryTarget();
    }

    @Test
    @Order(2)
    void aThirdJoinsAndTakesItsShareFromTheOthersOnly() {
        Map<String, Optional<String>> before = leases.groupHolders();
        Instant joined = Instant.now();
        start(pods.get(2));

        Map<String, Integer> shares = awaitShares(pods, Duration.ofSeconds(60));
        System.out.printf("cluster-tests: a join: %s after %.1f s%n", shares, since(joined));
        leases.groupHolders().forEach((lease, holder) -> {
            if (!holder.equals(before.get(lease))) {
                assertEquals(Optional.of(pods.get(2)), holder, lease + " moved to another agent than the joiner");
            }
        });
        splitAndAwaitEveryTarget();
    }

    @Test
    @Order(3)
    void aGracefulLeaveHandsOverOnlyItsShareWithinAPass() {
        String leaver = pods.get(1);
        Map<String, Optional<String>> before = leases.groupHolders();
        Instant stopped = Instant.now();
        int exit = agents.get(leaver).stop();
        double exitSeconds = since(stopped);
        Instant exited = Instant.now();

        List<String> left = List.of(pods.get(0), pods.get(2));
        Map<String, Integer> shares = awaitShares(left, PASS.plus(SLACK));
        System.out.printf("cluster-tests: a graceful leave: SIGTERM to exit %.1f s (exit %d), shares %s %.1f s after the exit%n",
                exitSeconds, exit, shares, since(exited));
        leases.groupHolders().forEach((lease, holder) -> {
            if (!before.get(lease).equals(Optional.of(leaver))) {
                assertEquals(before.get(lease), holder, lease + " moved, though the leaver did not hold it");
            }
        });
        assertTrue(agents.get(leaver).output().contains("stopping"), agents.get(leaver)::output);
        splitAndAwaitEveryTarget();
    }

    @Test
    @Order(4)
    void aLostNodesAgentIsTakenOverWithinALeaseDurationAndTwoPasses() {
        String lost = pods.get(0);
        String survivor = pods.get(2);
        Instant killed = Instant.now();
        agents.get(lost).kill();
        cluster.kubectl("delete", "node", nodeOf.get(lost), "--wait=false");
        nodeDeleted = Instant.now();

        Duration bound = LEASE.plus(PASS.multipliedBy(2)).plus(SLACK);
        awaitShares(List.of(survivor), bound);
        System.out.printf("cluster-tests: a lost node: all %d ScaledObjects led by the survivor %.1f s after the kill "
                + "(bound %d s: lease %d s + 2 passes + %d s slack)%n", SCALED_OBJECTS, since(killed), bound.toSeconds(),
                LEASE.toSeconds(), SLACK.toSeconds());
        String tombstone = cluster.kubectl("-n", NS, "get", "leases", "-l", LeaseHistory.KIND_LABEL + "=member", "-o",
                "jsonpath={range .items[*]}{.metadata.ownerReferences[0].name} {.metadata.annotations.ddbstream-scaler\\.io/expired-by}{'\\n'}{end}");
        assertTrue(tombstone.lines().anyMatch(l -> l.equals(lost + " " + survivor)),
                () -> "the lost agent's membership Lease, tombstoned by the survivor:\n" + tombstone);
        splitAndAwaitEveryTarget();
    }

    @Test
    @Order(5)
    void everyScaleWriteCameFromTheHolderOfItsLease() {
        List<AuditLog.Request> audit = new AuditLog(cluster.auditLog()).requests();
        List<AuditLog.Request> writes = audit.stream()
                .filter(AuditLog.scaleWrite().and(AuditLog.byAgentOf(NS)).and(r -> r.namespace().equals(NS))).toList();
        Map<String, List<LeaseHistory.Tenure>> tenures = leases.tenures(audit, NS, name -> groupOf(name).isPresent());
        assertEquals(SCALED_OBJECTS, tenures.size(), tenures::toString);

        List<String> outside = new ArrayList<>();
        List<String> overlapping = new ArrayList<>();
        Map<String, Integer> byAgent = new TreeMap<>();
        for (AuditLog.Request write : writes) {
            String so = "so-" + write.name().substring("work-".length());
            List<LeaseHistory.Tenure> his = tenures.entrySet().stream().filter(e -> groupOf(e.getKey()).orElse("").equals(so))
                    .flatMap(e -> e.getValue().stream()).filter(t -> t.holder().equals(write.pod())).toList();
            byAgent.merge(write.pod(), 1, Integer::sum);
            if (his.stream().anyMatch(t -> t.surelyCovers(write.received(), write.completed()))) {
                continue;
            }
            (his.stream().anyMatch(t -> t.mayCover(write.received(), write.completed())) ? overlapping : outside)
                    .add(write + " (" + so + "; its tenures: " + his + ")");
        }
        System.out.printf("cluster-tests: %d /scale writes by %s, %d overlapping a hand-over%n", writes.size(), byAgent,
                overlapping.size());
        assertTrue(writes.stream().allMatch(w -> w.pod() != null), "every agent write names its Pod");
        assertEquals(3, byAgent.size(), () -> "all three agents wrote: " + byAgent);
        assertEquals(List.of(), outside, "writes by an agent that did not hold the ScaledObject's Lease");
        assertEquals(List.of(), overlapping, "writes that may have landed while their Lease moved");
    }

    @Test
    @Order(6)
    void theLostAgentsPodAndMembershipLeaseGoWithItsNode() {
        String lost = pods.get(0);
        assertTrue(nodeDeleted != null, "runs after the lost Node");
        // The pod garbage collector force-deletes the Pods of a deleted Node (docs/local-cluster.md: 51-56 s); the
        // garbage collector then deletes the membership Lease, whose ownerReference is that Pod.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() ->
                cluster.kubectlResult("-n", NS, "get", "pod", lost).exit() != 0
                        && !cluster.kubectl("-n", NS, "get", "leases", "-l", LeaseHistory.KIND_LABEL + "=member", "-o",
                        "jsonpath={.items[*].metadata.ownerReferences[0].name}").contains(lost));
        System.out.printf("cluster-tests: the lost agent's Pod and membership Lease were gone %.1f s after its Node was deleted%n",
                since(nodeDeleted));
    }

    /** The ScaledObject name ({@code so-N}) a Lease belongs to, if it is one's: its name holds the ScaledObject's. */
    static Optional<String> groupOf(String lease) {
        Matcher m = Pattern.compile("(?:^|[.-])(so-\\d+)(?:$|[.])").matcher(lease);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static void start(String pod) {
        agents.put(pod, AgentProcess.start(AgentProcess.Setup.of("fleet-" + pod, ns.podKubeconfig(pod), aws.endpoint())
                .asPod(pod, NS), "-f", triggers.toString()));
    }

    /**
     * Waits until every ScaledObject Lease is held by one of {@code holders}, each holding floor(M/N) or ceil(M/N)
     * (docs/leader-election.md's bound); returns the shares.
     */
    private static Map<String, Integer> awaitShares(List<String> holders, Duration within) {
        int floor = SCALED_OBJECTS / holders.size();
        int ceil = (SCALED_OBJECTS + holders.size() - 1) / holders.size();
        Map<String, Integer> shares = new TreeMap<>();
        await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            shares.clear();
            Map<String, Optional<String>> held = leases.groupHolders();
            held.values().forEach(h -> shares.merge(h.orElse("(none)"), 1, Integer::sum));
            assertEquals(SCALED_OBJECTS, held.size(), () -> "ScaledObject Leases: " + held);
            assertEquals(new TreeSet<>(holders), shares.keySet(), () -> "holders: " + shares);
            shares.values().forEach(n -> assertTrue(n == floor || n == ceil, () -> "shares " + shares));
        });
        return shares;
    }

    /** One more split: every target wants one more replica; waits until each has it. */
    private static void splitAndAwaitEveryTarget() {
        aws.state().split(TABLE, 1);
        shards += 2;
        int wanted = (shards + 1) / 2;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String specs = cluster.kubectl("-n", NS, "get", "deployments", "-l", "!app.kubernetes.io/part-of", "-o",
                    "jsonpath={range .items[*]}{.metadata.name}={.spec.replicas} {end}").trim();
            assertEquals(SCALED_OBJECTS, specs.split(" ").length, specs);
            assertTrue(List.of(specs.split(" ")).stream().allMatch(s -> s.endsWith("=" + wanted)), () -> "want " + wanted + ": " + specs);
        });
    }

    private static double since(Instant t) {
        return Duration.between(t, Instant.now()).toMillis() / 1000.0;
    }
}
