package io.ddbstreamscaler.election;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddbstreamscaler.simulator.KubeApiDispatcher.LoggedRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.ddbstreamscaler.election.SpreadFleet.LEASE;
import static io.ddbstreamscaler.election.SpreadFleet.NS;
import static io.ddbstreamscaler.election.SpreadFleet.PASS;
import static io.ddbstreamscaler.election.SpreadFleet.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fair shares of the ScaledObject Leases over the agents, on the Kubernetes simulator, passes driven by hand with a
 * 15 s lease and a pass every 2 s. {@link SpreadFleet#round} checks after every single pass that no group has two
 * leaders and that every leader is its Lease's holder.
 */
class LeaseSpreadIT {

    /** Passes of the clock (one round each) within which a dead agent's groups must be led again: 15 s / 2 s + 2. */
    static final int TAKEOVER_ROUNDS = (int) (LEASE.toMillis() / PASS.toMillis()) + 2;

    SpreadFleet f;
    ListAppender<ILoggingEvent> lines;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        if (lines != null) {
            logger().detachAppender(lines);
        }
    }

    /** Three agents up: each leads 8 of 24 after two rounds (the first pass of each only registers it). */
    @Test
    void threeAgentsSpreadTwentyFourWithinTheBoundInTwoRounds() {
        f = threeStable(24);
        Map<String, String> leaders = f.leadersChecked("after two rounds");
        f.assertFair(leaders, names(3), "after two rounds");
        assertEquals(Map.of("agent-0", 8, "agent-1", 8, "agent-2", 8), f.shares(leaders, names(3)));
        f.agents.values().forEach(a -> assertEquals(names(3), a.members()));
        f.agents.values().forEach(a -> assertEquals(8, a.held(), "held() counts the groups it leads"));
        Map<String, String> before = f.holders();
        f.rounds(5);
        assertEquals(before, f.holders(), "once stable nothing moves");
    }

    @Test
    void theFirstPassOnlyRegisters() {
        f = new SpreadFleet(24);
        names(3).forEach(f::start);
        f.round();
        assertEquals(Map.of(), f.leadersChecked("after one round"));
        assertEquals(3, f.kube.client().leases().inNamespace(NS).withLabel(LeaseSpread.LEASE_LABEL, LeaseSpread.MEMBER)
                .list().getItems().size(), "three membership Leases");
        Lease membership = f.kube.client().leases().inNamespace(NS).withName("ddbstream-scaler-member-agent-0").get();
        assertEquals("agent-0", LeaseSpread.holderOf(membership));
        assertEquals("Pod/agent-0", membership.getMetadata().getOwnerReferences().get(0).getKind() + "/"
                + membership.getMetadata().getOwnerReferences().get(0).getName(), "deleted with its pod");
    }

    /** The whole API cost of a pass in a stable fleet, from the simulator's request log, at 2,000 ScaledObjects. */
    @Test
    void aStablePassCostsTwoListsAndOneMembershipRenewalPerAgentWhateverTheScaledObjects() {
        f = threeStable(2000);
        f.kube.dispatcher().clearLog();
        for (String pod : names(3)) {
            f.pass(pod);
        }
        List<LoggedRequest> log = f.kube.requests();
        String leases = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases";
        assertEquals(3, f.kube.dispatcher().requests("GET", "/api/v1/namespaces/" + NS + "/pods").size(), "pod LISTs");
        assertEquals(3, f.kube.dispatcher().requests("GET", leases).size(), "Lease LISTs");
        assertEquals(3, f.kube.dispatcher().requests("PUT", leases + "/ddbstream-scaler-member-agent-.*").size(),
                "one membership renewal per agent");
        long groupWrites = log.stream().filter(r -> !r.method().equals("GET") && r.path().contains("/leases/leaders-"))
                .count();
        assertEquals(0, groupWrites, "no write per ScaledObject");
        assertEquals(9, log.size(), "nothing else: " + log.stream().map(r -> r.method() + " " + r.path()).toList());
        assertEquals(2000, f.leadersChecked("at 2,000").size());
        System.out.println("LeaseSpread stable pass, 3 agents x 2,000 ScaledObjects: " + log.size()
                + " requests (per agent: LIST pods, LIST leases, PUT own membership), 0 ScaledObject Lease writes");
    }

    /** A fourth agent: only the joiner gains, 6 groups move (bound ceil(24/3)+1 = 9), stable in 2 rounds. */
    @Test
    void aFourthAgentTakesItsShareAndNothingElseMoves() {
        f = threeStable(24);
        Map<String, String> before = f.holders();
        f.start("agent-3");
        int rounds = untilStable(names(4), 3);
        Map<String, String> after = f.holders();
        int moved = 0;
        for (String group : f.groups) {
            if (!before.get(group).equals(after.get(group))) {
                assertEquals("agent-3", after.get(group), group + " moved between old agents");
                moved++;
            }
        }
        assertTrue(moved <= 24 / 3 + 1, moved + " moved");
        assertEquals(6, moved);
        f.assertFair(f.leadersChecked("after the join"), names(4), "after the join");
        System.out.println("LeaseSpread join 3 -> 4 agents, 24 groups: " + moved + " moved, stable after " + rounds
                + " rounds");
    }

    /** The other pass order: the joiner passes first in each round (its first pass registers, the others see it). */
    @Test
    void aJoinerPassingFirstIsAlsoStableInTwoRounds() {
        f = threeStable(24);
        f.start("agent-3");
        f.running.remove("agent-3");
        f.running.add(0, "agent-3");
        int rounds = untilStable(names(4), 4);
        assertTrue(rounds <= 2, rounds + " rounds");
        f.assertFair(f.leadersChecked("after the join"), names(4), "after the join");
        System.out.println("LeaseSpread join with the joiner passing first: stable after " + rounds + " rounds");
    }

    /** Its pod deleted and the agent gone: its 8 groups, and only those, are led again within 15 s + 2 passes. */
    @Test
    void aDeadAgentsGroupsMoveAndOnlyThose() {
        f = threeStable(24);
        Map<String, String> before = f.holders();
        f.stop("agent-2");
        f.deletePod("agent-2");
        assertOnlyTheLeaversMove(before, "agent-2");
    }

    /** Its pod stays Ready but the agent hangs: its membership goes stale after a lease duration, then as above. */
    @Test
    void aHungAgentsGroupsMoveAfterALeaseDurationAndItLeadsNothingWhenItWakes() {
        f = threeStable(24);
        Map<String, String> before = f.holders();
        LeaseSpread hung = f.agents.get("agent-2");
        f.stop("agent-2");
        assertOnlyTheLeaversMove(before, "agent-2");

        // The peer that took over first tombstoned its membership (with the resourceVersion it saw standing still).
        Lease stone = f.kube.client().leases().inNamespace(NS).withName("ddbstream-scaler-member-agent-2").get();
        assertNull(LeaseSpread.holderOf(stone), "tombstoned: no holder");
        assertTrue(names(2).contains(stone.getMetadata().getAnnotations().get(LeaseSpread.EXPIRED_BY)));

        // It wakes up: its renewal meets the tombstone (409), so it drops everything and rejoins by writes. (Without
        // the tombstone a hung agent whose renewal lands between a peer's LIST and that peer's take-over would keep
        // leading; passes here never overlap, so this shows the mechanism, not that race.)
        lines = capture();
        f.kube.dispatcher().clearLog();
        f.resume("agent-2");
        f.pass("agent-2");
        assertEquals(0, hung.held(), "a deposed agent leads nothing");
        assertTrue(lines.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                && e.getFormattedMessage().contains("tombstoned")), "it says it was declared dead");
        assertEquals(0, f.kube.requests().stream().filter(r -> !r.method().equals("GET")
                && r.path().contains("/leases/leaders-")).count(), "it writes no ScaledObject Lease on waking");
        f.leadersChecked("after the wake-up pass");
        untilStable(names(3), 3);
        f.assertFair(f.leadersChecked("after the rejoin"), names(3), "after the rejoin");
    }

    /** A pod that turns NotReady while its agent runs hands its groups over on its own next pass. */
    @Test
    void aNotReadyPodHandsItsGroupsOverAtOnce() {
        f = threeStable(24);
        f.setReady("agent-2", false);
        f.round();
        assertEquals(0, f.agents.get("agent-2").held());
        f.round();
        f.assertFair(f.leadersChecked("after NotReady"), names(2), "after NotReady");
        f.setReady("agent-2", true);
        untilStable(names(3), 3);
        f.assertFair(f.leadersChecked("Ready again"), names(3), "Ready again");
    }

    /** releaseAll on shutdown: the others lead its groups after one round, without waiting for a lease duration. */
    @Test
    void aShutdownHandsOverWithinOneRound() {
        f = threeStable(24);
        f.agents.get("agent-2").releaseAll();
        f.stop("agent-2");
        f.deletePod("agent-2");
        assertNull(f.kube.client().leases().inNamespace(NS).withName("ddbstream-scaler-member-agent-2").get());
        f.round();
        f.assertFair(f.leadersChecked("after the shutdown"), names(2), "one round after the shutdown");
    }

    /** API errors: no throw, no new leadership, WARN once per cause; the fleet comes back where it was. */
    @Test
    void apiErrorsTakeNoNewLeadershipAndLeaveTheSharesAlone() {
        f = threeStable(24);
        Map<String, String> before = f.holders();
        lines = capture();
        f.start("agent-3"); // its pod is there; its agent's first pass meets the outage
        // 503 a few times (fabric8 retries those, as KubeClients bounds it), then 403 (not retried) to keep it short.
        f.kube.dispatcher().inject(null, "/api/v1/namespaces/" + NS + "/pods", 503, 2);
        f.kube.dispatcher().inject(null, "/api/v1/namespaces/" + NS + "/pods", 403, -1);
        f.kube.dispatcher().inject("PUT", ".*/leases/.*", 503, 2);
        f.kube.dispatcher().inject("PUT", ".*/leases/.*", 403, -1);
        f.kube.dispatcher().inject("POST", ".*/leases", 403, -1);
        for (int i = 0; i < TAKEOVER_ROUNDS; i++) {
            f.round(); // no throw
            Map<String, String> leaders = f.leadersChecked("during the outage");
            leaders.forEach((g, pod) -> assertEquals(before.get(g), pod, "new leadership during the outage: " + g));
        }
        assertEquals(Map.of(), f.leadersChecked("a lease duration into the outage"),
                "without renewals every agent stops leading once its lease duration has run out");
        long warns = lines.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
        // Causes per agent: list pods 503 and 403, update leases 503 and 403 (agent-3: create 403).
        assertTrue(warns > 0 && warns <= 4 * 4, "one WARN per agent and cause, not per pass: " + warns);
        f.kube.dispatcher().clearFaults();
        untilStable(names(4), 4);
        f.assertFair(f.leadersChecked("after the outage"), names(4), "after the outage");
        Map<String, String> after = f.holders();
        before.forEach((g, pod) -> assertTrue(pod.equals(after.get(g)) || "agent-3".equals(after.get(g)),
                g + " moved between old agents after an outage"));
    }

    /** Randomized, seeded: passes in any order, clock jumps, joins, deaths, hangs, NotReady, shutdowns. */
    @Test
    void randomInterleavingsNeverHaveTwoLeaders() {
        long tombstones = 0;
        for (long seed = 0; seed < 6; seed++) {
            f = new SpreadFleet(30);
            Random random = new Random(seed);
            names(3).forEach(f::start);
            int next = 3;
            List<String> hung = new ArrayList<>();
            Map<String, Boolean> ready = new HashMap<>();
            for (int step = 0; step < 200; step++) {
                String where = "seed " + seed + " step " + step;
                int roll = random.nextInt(100);
                List<String> running = List.copyOf(f.running);
                if (roll < 65 && !running.isEmpty()) {
                    f.pass(running.get(random.nextInt(running.size())));
                    f.clock.advance(java.time.Duration.ofMillis(random.nextInt(1000)));
                } else if (roll < 72) {
                    f.clock.advance(java.time.Duration.ofMillis(random.nextInt(4000)));
                } else if (roll < 77 && running.size() < 6) {
                    f.start("agent-" + next++);
                } else if (roll < 81 && running.size() > 1) {
                    String pod = running.get(random.nextInt(running.size()));
                    f.stop(pod);
                    f.deletePod(pod);
                } else if (roll < 85 && running.size() > 1) {
                    String pod = running.get(random.nextInt(running.size()));
                    f.stop(pod);
                    hung.add(pod);
                } else if (roll < 89 && !hung.isEmpty()) {
                    f.resume(hung.remove(random.nextInt(hung.size())));
                } else if (roll < 95 && !running.isEmpty()) {
                    String pod = running.get(random.nextInt(running.size()));
                    boolean now = !ready.getOrDefault(pod, true);
                    f.setReady(pod, now);
                    ready.put(pod, now);
                } else if (running.size() > 1) {
                    String pod = running.get(random.nextInt(running.size()));
                    f.agents.get(pod).releaseAll();
                    f.stop(pod);
                    f.deletePod(pod);
                }
                f.leadersChecked(where);
            }
            // Then everything settles: all running pods Ready, the hung ones' memberships run out.
            for (String pod : f.running) {
                if (!ready.getOrDefault(pod, true)) {
                    f.setReady(pod, true);
                }
            }
            untilStable(List.copyOf(f.running), TAKEOVER_ROUNDS + 4);
            long stones = f.kube.requests().stream().filter(r -> r.method().equals("PUT")
                    && r.path().contains("/leases/ddbstream-scaler-member-") && r.body().contains(LeaseSpread.EXPIRED_BY)
                    && !r.body().contains("\"holderIdentity\"")).count();
            tombstones += stones;
            System.out.println("LeaseSpread random interleavings, seed " + seed + ": " + next + " agents started, "
                    + stones + " tombstones, settled over " + f.running.size());
            f.assertFair(f.leadersChecked("settled, seed " + seed), List.copyOf(f.running), "settled, seed " + seed);
            f.close();
            f = null;
        }
        assertTrue(tombstones > 0, "the runs went through take-overs from hung or dead agents");
    }

    // ---- helpers
    static SpreadFleet threeStable(int groups) {
        SpreadFleet fleet = new SpreadFleet(groups);
        names(3).forEach(fleet::start);
        fleet.rounds(2);
        return fleet;
    }

    /** Rounds until every group is led within the bound and a round changes no holder; fails after {@code max}. */
    int untilStable(List<String> pods, int max) {
        Map<String, String> last = f.holders();
        for (int round = 1; round <= max; round++) {
            f.round();
            Map<String, String> now = f.holders();
            Map<String, String> leaders = f.leadersChecked("round " + round);
            if (now.equals(last) && leaders.size() == f.groups.size() && fair(leaders, pods)) {
                return round - 1;
            }
            last = now;
        }
        throw new AssertionError("not stable after " + max + " rounds: " + f.shares(f.leadersChecked("end"), pods));
    }

    boolean fair(Map<String, String> leaders, List<String> pods) {
        int m = f.groups.size();
        int n = pods.size();
        return f.shares(leaders, pods).values().stream().allMatch(h -> h >= m / n - 1 && h <= (m + n - 1) / n + 1)
                && pods.containsAll(leaders.values());
    }

    void assertOnlyTheLeaversMove(Map<String, String> before, String leaver) {
        List<String> rest = new ArrayList<>(names(3));
        rest.remove(leaver);
        int rounds = 0;
        int unledRounds = 0;
        while (true) {
            Map<String, String> leaders = f.leadersChecked("round " + rounds);
            if (leaders.size() == f.groups.size() && rest.containsAll(leaders.values())) {
                break;
            }
            if (leaders.size() < f.groups.size()) {
                unledRounds++;
            }
            assertTrue(rounds < TAKEOVER_ROUNDS, "not all led by the others after " + rounds + " rounds");
            f.round();
            rounds++;
        }
        Map<String, String> after = f.holders();
        before.forEach((g, pod) -> {
            if (!pod.equals(leaver)) {
                assertEquals(pod, after.get(g), g + " moved but was not " + leaver + "'s");
            }
        });
        f.assertFair(f.leadersChecked("after the leave"), rest, "after the leave");
        System.out.println("LeaseSpread leave of " + leaver + ": its " + before.values().stream()
                .filter(leaver::equals).count() + " groups, and only those, moved; all led again after " + rounds
                + " rounds of 2 s (lease 15 s), some group unled during " + unledRounds + " of them");
    }

    static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger().addAppender(appender);
        return appender;
    }

    static ch.qos.logback.classic.Logger logger() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LeaseSpread.class);
    }
}
