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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults of the control plane under a running standalone agent (polling every 2 s): a user's {@code kubectl scale}
 * between the agent's read and its write (a real 409, made deterministic by {@link ConflictWebhook}), once and then on
 * every attempt; the API server killed (SIGKILL) and started again; the store (kine) stopped and started again. Each
 * time the agent keeps running, says what failed, writes nothing it did not decide on fresh data, and polls normally
 * within one interval (plus slack for a loaded machine) of the API server answering again. Runs last: it restarts the
 * cluster's API server and store (and then the controllers, so the cluster is whole again).
 */
@ExtendWith(ClusterExtension.class)
@Order(7)
class ApiFaultsIT {

    static final String NS = "e2e-faults";
    static final int INTERVAL = 2;
    /** Room for a loaded 2-core machine on top of one polling interval. */
    static final Duration SLACK = Duration.ofSeconds(15);

    static LocalCluster cluster;
    static TestNamespace ns;
    @AutoClose
    static AwsSimulator aws;
    @AutoClose
    static AgentProcess agent;
    @AutoClose
    static ConflictWebhook webhook;
    static final Map<String, Integer> shards = new HashMap<>(Map.of("faults", 4, "ledger", 4, "orders", 4));
    static final AtomicInteger userScale = new AtomicInteger(6);

    @BeforeAll
    static void agentUnderFaults(LocalCluster c) {
        cluster = c;
        ns = TestNamespace.create(cluster, NS);
        ns.applyOverlay("standalone", List.of(Rules.scale("apps", "statefulsets", "ledger"),
                Rules.scale("apps", "deployments", "orders-consumer")));
        ns.awsKeys("AKIAFAULTS0000000001", "faults-secret");
        ns.deployment("nginx-deployment", 1);
        ns.deployment("orders-consumer", 1);
        ns.apply("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: ledger}
                spec:
                  replicas: 1
                  serviceName: ledger
                  podManagementPolicy: Parallel
                  selector: {matchLabels: {app: ledger}}
                  template:
                    metadata: {labels: {app: ledger}}
                    spec:
                      containers:
                        - {name: ledger, image: registry.example/ledger:1}
                """);
        aws = AwsSimulator.start(Clock.systemUTC(), Triggers.REGION, 0);
        shards.forEach(aws.state()::createTable);
        Triggers.Options options = Triggers.Options.defaults().pollingInterval(INTERVAL);
        Path triggers = ns.triggers("faults.yaml", Triggers.file(NS,
                Triggers.scaledObject(NS, "faults", Triggers.Target.deployment("nginx-deployment"), "faults", options),
                Triggers.scaledObject(NS, "ledger", Triggers.Target.statefulSet("ledger"), "ledger", options),
                Triggers.scaledObject(NS, "orders", Triggers.Target.deployment("orders-consumer"), "orders", options)));
        // The concurrent writer: a user scaling by hand, each time to another count (a no-op would not conflict).
        webhook = ConflictWebhook.register(cluster, NS, ns.work(), workload -> cluster.kubectl("-n", NS, "scale",
                workload, "--replicas=" + userScale.incrementAndGet()));
        agent = AgentProcess.start(AgentProcess.Setup.of("faults", ns.agentKubeconfig(), aws.endpoint()),
                "-f", triggers.toString());
        awaitSpec("deployment/nginx-deployment", 2);
        awaitSpec("statefulset/ledger", 2);
        awaitSpec("deployment/orders-consumer", 2);
        Scenarios.ran(NS);
    }

    @Test
    @Order(1)
    void aKubectlScaleBetweenTheAgentsReadAndWriteIsAConflictAndTheAgentWritesAgainFromAFreshRead() {
        int from = agent.lineCount();
        Instant armed = Instant.now();
        webhook.mode(ConflictWebhook.Mode.ONCE);
        try (ReplicaWatch watch = new ReplicaWatch(cluster.admin(), NS, "statefulset", "ledger")) {
            split("ledger");   // 6 shards: 3
            awaitSpec("statefulset/ledger", 3);
            assertEquals(1, webhook.interventions());
            assertEquals(List.of(2, 7, 3), watch.values(), "every spec.replicas of the StatefulSet the API server held");
        }
        // In the order the API server finished them: the user's write landed while the agent's was in flight (between
        // the read that gave the agent its resourceVersion and its write), the agent got 409, read again and wrote.
        // The StatefulSet controller's own status updates change the resourceVersion too, so a re-read can meet another
        // 409 before the write goes through (the scale port tries 4 times).
        List<AuditLog.Request> writes = scaleWrites(armed, "ledger");
        List<String> said = describe(writes);
        assertEquals("user patch 200", said.get(0), said::toString);
        assertTrue(writes.get(1).received().isBefore(writes.get(0).received()), writes::toString);
        assertEquals("agent update 200", said.get(said.size() - 1), said::toString);
        assertTrue(said.subList(1, said.size() - 1).stream().allMatch("agent update 409"::equals), said::toString);
        List<String> lines = agent.linesFrom(from);
        assertTrue(lines.stream().anyMatch(l -> l.contains("scaled StatefulSet " + NS + "/ledger from ") && l.endsWith(" to 3 replicas")),
                () -> String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("ERROR")), () -> String.join("\n", lines));
        System.out.println("cluster-tests: a conflict once: " + said);
    }

    @Test
    @Order(2)
    void aDeploymentMeetsTheSameConflictAndTheSameRetry() {
        // Deployments go through the same write path as every other kind: the resourceVersion read is sent with the
        // write, so a user's change in between is a 409 and a fresh read, never overwritten.
        Instant armed = Instant.now();
        int from = agent.lineCount();
        webhook.mode(ConflictWebhook.Mode.ONCE);
        int user = userScale.get() + 1;
        try (ReplicaWatch watch = new ReplicaWatch(cluster.admin(), NS, "deployment", "orders-consumer")) {
            split("orders");   // 6 shards: 3
            awaitSpec("deployment/orders-consumer", 3);
            assertEquals(List.of(2, user, 3), watch.values(), "every spec.replicas of the Deployment the API server held");
        }
        List<String> said = describe(scaleWrites(armed, "orders-consumer"));
        assertEquals("user patch 200", said.get(0), said::toString);
        assertEquals("agent update 200", said.get(said.size() - 1), said::toString);
        assertTrue(said.subList(1, said.size() - 1).stream().allMatch("agent update 409"::equals), said::toString);
        assertTrue(said.contains("agent update 409"), said::toString);
        List<String> lines = agent.linesFrom(from);
        assertTrue(lines.stream().anyMatch(l -> l.contains("scaled Deployment " + NS + "/orders-consumer from " + user
                + " to 3 replicas")), () -> String.join("\n", lines));
        System.out.println("cluster-tests: a conflict once on a Deployment: " + said);
    }

    @Test
    @Order(3)
    void aConflictOnEveryAttemptIsReportedAndNothingIsWrittenUntilItStops() {
        int from = agent.lineCount();
        Instant armed = Instant.now();
        webhook.mode(ConflictWebhook.Mode.ALWAYS);
        split("ledger");   // 8 shards: 4
        int failed = agent.await(from, l -> l.contains("ERROR") && l.contains("StatefulSet " + NS + "/ledger failed")
                && l.contains("conflict (409) persisted after retries"), Duration.ofSeconds(60));
        Instant disarmed = Instant.now();
        webhook.mode(ConflictWebhook.Mode.OFF);
        List<String> meanwhile = describe(scaleWrites(armed, "ledger").stream().filter(r -> r.received().isBefore(disarmed)).toList());
        // Each of the agent's attempts (re-read and retried by the scale port) a 409; none written. An attempt that
        // reaches admission gets the user's write in front of it. A re-read can instead meet the StatefulSet
        // controller's status update that follows the user's write: that attempt carries a stale resourceVersion, the
        // API server answers 409 before admission, and the webhook never sees it, so not every 409 has a user's write
        // in front of it (a clean-clone CI run saw 4 of the agent's 409s and 2 of the user's writes).
        assertTrue(meanwhile.stream().filter("agent update 409"::equals).count() >= 4, meanwhile::toString);
        assertTrue(meanwhile.contains("user patch 200"), meanwhile::toString);
        assertTrue(meanwhile.stream().allMatch(w -> w.equals("agent update 409") || w.equals("user patch 200")), meanwhile::toString);
        // The same poll's decision line follows; another ScaledObject's lines may come in between (polls run at once).
        int decided = agent.await(failed + 1, l -> l.contains("decision - ScaledObject " + NS + "/ledger "), Duration.ofSeconds(10));
        assertTrue(agent.lines().get(decided).contains("(write failed: conflict (409)"), () -> agent.lines().get(decided));
        // Up to that line, not after: the webhook is off by now, and the next poll (2 s on) writes.
        assertTrue(agent.lines().subList(from, decided + 1).stream().noneMatch(l -> l.contains("scaled StatefulSet")), agent::output);

        awaitSpec("statefulset/ledger", 4);   // the conflicts stop: the next poll writes
        System.out.println("cluster-tests: conflict on every attempt: " + agent.lines().get(failed).substring(13));
    }

    @Test
    @Order(4)
    void theApiServerKilledAndStartedAgain() {
        int from = agent.lineCount();
        Instant killed = Instant.now();
        cluster.kill("apiserver", "kube-apiserver");
        Instant restoring;
        try {
            split("faults");   // 6 shards: 3, decided while the API server is away
            agent.await(from, l -> l.contains("ERROR") && l.contains("the Kubernetes API server is unavailable"), Duration.ofSeconds(30));
        } finally {
            restoring = Instant.now();
            cluster.script("start.sh", "--only", "apiserver");   // returns once /readyz answers
        }

        awaitSpec("deployment/nginx-deployment", 3);
        Duration recovery = agentRecovery(restoring);
        System.out.printf("cluster-tests: API server killed: the agent read /scale %.1f s after the new API server first"
                + " answered 200; it logged meanwhile:%n  %s%n", recovery.toMillis() / 1000.0,
                String.join("\n  ", summary(agent.linesFrom(from))));
        assertTrue(recovery.compareTo(Duration.ofSeconds(INTERVAL).plus(SLACK)) <= 0, recovery::toString);
        assertTrue(agent.linesFrom(from).stream().anyMatch(l -> l.contains("ERROR")), "the outage was reported");
        assertTrue(agent.alive());
        assertOneWriteAndNoSuccessClaimedBeforeIt(from, killed, 2, 3);
        // The control plane's own clients back off for up to minutes after an API server restart
        // (docs/local-cluster.md): restarted, so that the cluster is whole again for what follows.
        cluster.script("start.sh", "--restart", "controller-manager,scheduler,kwok");
    }

    @Test
    @Order(5)
    void theStoreStoppedAndStartedAgain() {
        int from = agent.lineCount();
        Instant stopped = Instant.now();
        cluster.script("stop.sh", "--only", "kine");
        Instant restoring;
        try {
            split("faults");   // 8 shards: 4
            // The API server holds each request while its store is away: the agent's 10 s timeout, retried twice by
            // fabric8, on the /scale read and then on the FailedGetScale Event: about a minute to the first ERROR.
            agent.await(from, l -> l.contains("ERROR") && l.contains("nginx-deployment"), Duration.ofSeconds(120));
        } finally {
            restoring = Instant.now();
            cluster.script("start.sh", "--only", "kine");
        }

        awaitSpec("deployment/nginx-deployment", 4);
        Duration recovery = agentRecovery(restoring);
        System.out.printf("cluster-tests: store stopped: the agent read /scale %.1f s after the API server first answered"
                + " 200 again; it logged meanwhile:%n  %s%n", recovery.toMillis() / 1000.0,
                String.join("\n  ", summary(agent.linesFrom(from))));
        assertTrue(recovery.compareTo(Duration.ofSeconds(INTERVAL).plus(SLACK)) <= 0, recovery::toString);
        assertTrue(agent.alive());
        assertOneWriteAndNoSuccessClaimedBeforeIt(from, stopped, 3, 4);
    }

    /**
     * After line {@code from} and instant {@code since}: exactly one write, the one decided after recovery, claimed in
     * the log and made at the API server; before it, every decision line about the Deployment was a failure or no change.
     */
    private static void assertOneWriteAndNoSuccessClaimedBeforeIt(int from, Instant since, int was, int now) {
        List<String> said = agent.linesFrom(from);
        List<String> scaled = said.stream().filter(l -> l.contains("scaled Deployment " + NS + "/nginx-deployment")).toList();
        assertEquals(List.of("from " + was + " to " + now + " replicas"),
                scaled.stream().map(l -> l.substring(l.indexOf("from "))).toList(), () -> String.join("\n", said));
        for (String line : said.subList(0, said.indexOf(scaled.get(0)))) {
            if (line.contains("Deployment/nginx-deployment: ")) {
                assertTrue(line.contains("ERROR") || line.contains(" " + was + " -> " + was + " "), line);
            }
        }
        List<AuditLog.Request> writes = new AuditLog(cluster.auditLog()).requests(AuditLog.scaleWrite()
                .and(AuditLog.byAgentOf(NS)).and(r -> r.name().equals("nginx-deployment") && r.received().isAfter(since)));
        assertEquals(1, writes.size(), writes::toString);
    }

    /**
     * From the first request the API server answered with 200 (to anyone) after {@code restoring}, when the store or
     * the API server was being started again, to the agent's first successful read of a /scale after it.
     */
    private static Duration agentRecovery(Instant restoring) {
        List<AuditLog.Request> after = new AuditLog(cluster.auditLog()).requests(r -> r.received().isAfter(restoring) && r.ok()
                && !r.verb().equals("watch") && !r.resource().isEmpty());
        Instant serving = after.stream().map(AuditLog.Request::completed).min(Instant::compareTo).orElseThrow();
        Instant agentOk = after.stream().filter(AuditLog.byAgentOf(NS).and(r -> r.subresource().equals("scale")
                && r.verb().equals("get") && !r.completed().isBefore(serving))).map(AuditLog.Request::completed)
                .min(Instant::compareTo).orElseThrow();
        return Duration.between(serving, agentOk);
    }

    /** Each distinct message the agent logged (timestamps cut), with how often. */
    private static List<String> summary(List<String> lines) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String l : lines) {
            counts.merge(l.length() > 13 ? l.substring(13) : l, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        counts.forEach((l, n) -> out.add((n > 1 ? n + "x " : "") + l));
        return out;
    }

    /** The writes to a workload's /scale received after {@code since}, in the order the API server finished them. */
    private static List<AuditLog.Request> scaleWrites(Instant since, String name) {
        return new AuditLog(cluster.auditLog()).requests(r -> r.namespace().equals(NS) && r.subresource().equals("scale")
                && r.name().equals(name) && r.write() && r.received().isAfter(since));
    }

    private static List<String> describe(List<AuditLog.Request> writes) {
        return writes.stream().map(r -> (r.user().equals(AuditLog.agentUser(NS)) ? "agent" : "user") + " " + r.verb() + " "
                + r.code()).toList();
    }

    private static void split(String table) {
        aws.state().split(table, 1);
        shards.merge(table, 2, Integer::sum);
    }

    private static void awaitSpec(String workload, int replicas) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertEquals(replicas, ns.replicas(workload)[0], () -> workload + " spec.replicas; agent:\n"
                        + String.join("\n", agent.linesFrom(Math.max(0, agent.lineCount() - 8)))));
    }
}
