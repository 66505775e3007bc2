package io.ddbstreamscaler.election;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.ddbstreamscaler.election.SpreadFleet.LEASE;
import static io.ddbstreamscaler.election.SpreadFleet.NS;
import static io.ddbstreamscaler.election.SpreadFleet.PASS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling upgrade from the old Lease names ({@link LeaseNames#legacyGroup}) to the new ones, on the Kubernetes
 * simulator, passes driven by hand: agents of the earlier version (their membership Leases without the new naming's
 * mark, leading by the old names) and new agents side by side. After every single pass: no ScaledObject is led by two
 * agents, old or new, and every leader holds its Lease at the API server. Two of the ScaledObjects shared one old Lease.
 */
class LeaseUpgradeIT {

    /** Rounds within which a hung agent's ScaledObjects are led again: a lease duration, then two passes. */
    static final int TAKEOVER_ROUNDS = (int) (LEASE.toMillis() / PASS.toMillis()) + 3;

    record ScaledObject(String namespace, String name) {
        String group() {
            return LeaseNames.group(namespace, name);
        }

        String legacy() {
            return LeaseNames.legacyGroup(namespace, name);
        }
    }

    /** One agent: its Lease pass and the version it runs. */
    record Agent(LeaseSpread spread, boolean old) {
    }

    static final List<ScaledObject> SCALED_OBJECTS = new ArrayList<>();

    static {
        IntStream.range(0, 12).forEach(i -> SCALED_OBJECTS.add(new ScaledObject("keda", "so-" + i)));
        SCALED_OBJECTS.add(new ScaledObject("a-b", "c"));
        SCALED_OBJECTS.add(new ScaledObject("a", "b-c"));
    }

    SpreadFleet f = new SpreadFleet(0);
    final Map<String, Agent> agents = new LinkedHashMap<>();
    final List<String> running = new ArrayList<>();

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aRollingUpgradeNeverHasTwoLeadersAndEndsOnTheNewNames() {
        List.of("old-0", "old-1", "old-2").forEach(pod -> start(pod, true));
        rounds(3);
        assertEquals(SCALED_OBJECTS.size(), leaders().size(), "the old fleet leads every ScaledObject");

        // The rollout: a new pod comes up, then an old one goes, three times.
        for (int i = 0; i < 3; i++) {
            start("new-" + i, false);
            rounds(3);
            shutDown("old-" + i);
            rounds(3);
        }
        rounds(2);
        Map<ScaledObject, String> leaders = leaders();
        assertEquals(SCALED_OBJECTS.size(), leaders.size(), "every ScaledObject led again: " + leaders);
        assertTrue(leaders.values().stream().allMatch(p -> p.startsWith("new-")), "by new agents: " + leaders);
        assertEquals(Set.of(), legacyLeases(), "no old Lease is left once no old agent runs");
        Map<String, Long> shares = leaders.values().stream().collect(Collectors.groupingBy(p -> p, TreeMap::new,
                Collectors.counting()));
        assertTrue(shares.values().stream().allMatch(n -> n >= 4 && n <= 5), "fair shares of 14 over 3: " + shares);
    }

    @Test
    void aHungOldAgentsScaledObjectsMoveToTheNewAgentsAfterALeaseDuration() {
        start("old-0", true);
        rounds(3);
        start("new-0", false);
        start("new-1", false);
        rounds(3);
        // old-0 hangs: it stops passing (its pod stays Ready), and never writes again.
        running.remove("old-0");
        rounds(TAKEOVER_ROUNDS);
        Map<ScaledObject, String> leaders = leaders();
        assertEquals(SCALED_OBJECTS.size(), leaders.size(), "led again: " + leaders);
        assertTrue(leaders.values().stream().allMatch(p -> p.startsWith("new-")), leaders.toString());
        // The hung agent's membership was tombstoned: it marks no version, and the old Leases can go.
        rounds(2);
        assertEquals(Set.of(), legacyLeases());
    }

    /**
     * An agent of the earlier version starting late (a rollback, a straggler) takes nothing the new ones lead: they
     * fence every ScaledObject they lead with its old Lease. Of the two that share an old Lease, one waits while it runs.
     */
    @Test
    void anOldAgentStartingBesideNewOnesTakesNothingTheyLead() {
        start("new-0", false);
        start("new-1", false);
        rounds(3);
        assertEquals(SCALED_OBJECTS.size(), leaders().size());
        start("old-0", true);
        rounds(4);
        Map<ScaledObject, String> leaders = leaders();
        assertTrue(leaders.values().stream().noneMatch(p -> p.equals("old-0")), leaders.toString());
        assertEquals(SCALED_OBJECTS.size() - 1, leaders.size(), "all but one of the pair sharing an old Lease: " + leaders);
        shutDown("old-0");
        rounds(2);
        assertEquals(SCALED_OBJECTS.size(), leaders().size(), "all again once it is gone");
        assertEquals(Set.of(), legacyLeases());
    }

    private void start(String pod, boolean old) {
        f.kube.createPod(NS, pod, LeaseSpread.CANDIDATE_LABELS, null);
        agents.put(pod, new Agent(new LeaseSpread(f.client, NS, pod, LeaseSpread.CANDIDATE_LABELS, LEASE, f.clock, !old),
                old));
        running.add(pod);
    }

    /** A graceful stop: the agent hands everything over, then its pod goes. */
    private void shutDown(String pod) {
        running.remove(pod);
        agents.get(pod).spread().releaseAll();
        f.deletePod(pod);
    }

    private void rounds(int n) {
        for (int i = 0; i < n; i++) {
            for (String pod : List.copyOf(running)) {
                pass(pod);
                leaders();
            }
            f.clock.advance(PASS);
        }
    }

    private void pass(String pod) {
        Agent agent = agents.get(pod);
        if (agent.old()) {
            agent.spread().reconcile(SCALED_OBJECTS.stream().map(ScaledObject::legacy).collect(Collectors.toSet()));
        } else {
            agent.spread().reconcile(SCALED_OBJECTS.stream().map(ScaledObject::group).toList(),
                    SCALED_OBJECTS.stream().collect(Collectors.toMap(ScaledObject::group, ScaledObject::legacy)));
        }
    }

    /** ScaledObject to its leader; fails if two agents lead one, or if a leader does not hold its Lease. */
    private Map<ScaledObject, String> leaders() {
        Map<String, String> holders = new TreeMap<>();
        for (Lease lease : f.kube.client().leases().inNamespace(NS).withLabel(LeaseSpread.LEASE_LABEL,
                LeaseSpread.SCALEDOBJECT).list().getItems()) {
            holders.put(lease.getMetadata().getName(), LeaseSpread.holderOf(lease));
        }
        Map<ScaledObject, String> leaders = new LinkedHashMap<>();
        agents.forEach((pod, agent) -> {
            for (ScaledObject so : SCALED_OBJECTS) {
                String group = agent.old() ? so.legacy() : so.group();
                if (agent.spread().leads(group)) {
                    String other = leaders.put(so, pod);
                    assertEquals(null, other, so + " led by " + other + " and " + pod);
                    assertEquals(pod, holders.get(LeaseSpread.GROUP_PREFIX + group), so + ": its leader holds its Lease");
                }
            }
        });
        return leaders;
    }

    private Set<String> legacyLeases() {
        Set<String> legacy = SCALED_OBJECTS.stream().map(so -> LeaseSpread.GROUP_PREFIX + so.legacy())
                .collect(Collectors.toSet());
        return f.kube.client().leases().inNamespace(NS).list().getItems().stream()
                .map(l -> l.getMetadata().getName()).filter(legacy::contains).collect(Collectors.toSet());
    }
}
