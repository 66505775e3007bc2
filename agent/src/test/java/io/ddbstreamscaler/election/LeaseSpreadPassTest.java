package io.ddbstreamscaler.election;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.ddbstreamscaler.election.SpreadFleet.NS;
import static io.ddbstreamscaler.election.SpreadFleet.PASS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single passes of {@link LeaseSpread} on the Kubernetes simulator, each checked by what {@code reconcile} returns, the
 * Leases on the API server and the requests it made: API failures on each of the pass's calls, a deposed agent whose
 * re-registration fails, a hung holder whose tombstone fails, a holder that never had a membership, a restarted
 * agent, a ScaledObject removed, a shutdown. Groups {@code g0}, {@code g1}, {@code g2}; a pass every 2 s, lease 15 s.
 */
class LeaseSpreadPassTest {

    static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases";
    static final List<String> GROUPS = List.of("g0", "g1", "g2");
    static final String KEEPS = "; agent-0 keeps the ScaledObject groups it leads (for at most a lease duration without a"
            + " renewal) and takes none until the API answers";

    SpreadFleet f;
    ListAppender<ILoggingEvent> lines;

    @BeforeEach
    void start() {
        f = new SpreadFleet(0);
        lines = new ListAppender<>();
        lines.start();
        LeaseWritesTest.logger().addAppender(lines);
    }

    @AfterEach
    void stop() {
        LeaseWritesTest.logger().detachAppender(lines);
        f.close();
    }

    @Test
    void aLoneAgentRegistersThenLeadsEveryGroupAndSaysSoOnce() {
        LeaseSpread agent = f.start("agent-0");
        assertEquals(Set.of(), pass(agent, GROUPS), "the first pass only registers");
        assertEquals(Set.of("g0", "g1", "g2"), pass(agent, GROUPS));
        assertEquals(Set.of("g0", "g1", "g2"), pass(agent, GROUPS), "a stable pass");
        assertEquals(List.of("INFO agent-0 leads 3 of 3 ScaledObject groups over 1 live members [agent-0]"), lines(),
                "only a pass that changes something says so");
        assertEquals(Map.of("g0", "agent-0", "g1", "agent-0", "g2", "agent-0"), holders());
        assertEquals(List.of("agent-0"), agent.members());
    }

    static Stream<Arguments> outages() {
        return Stream.of(
                // name, method, path refused with 403, the one WARN
                Arguments.of("the pods LIST", "GET", "/api/v1/namespaces/agents/pods", "Lease spread: list pods in "
                        + "namespace agents was forbidden (403): the agent's ServiceAccount needs a Role in namespace "
                        + "agents with the rule {apiGroups: [\"\"], resources: [\"pods\"], verbs: [\"list\"]} (see "
                        + "k8s/base/role.yaml)" + KEEPS),
                Arguments.of("the Leases LIST", "GET", LEASES, "Lease spread: list leases in namespace agents was "
                        + "forbidden (403): the agent's ServiceAccount needs a Role in namespace agents with the rule "
                        + "{apiGroups: [\"coordination.k8s.io\"], resources: [\"leases\"], verbs: [\"list\"]} "
                        + "(see k8s/base/role.yaml)" + KEEPS),
                Arguments.of("the membership renewal", "PUT", LEASES + "/ddbstream-scaler-member-agent-0", "Lease "
                        + "spread: update leases agents/ddbstream-scaler-member-agent-0 was forbidden (403): the agent's "
                        + "ServiceAccount needs a Role in namespace agents with the rule {apiGroups: "
                        + "[\"coordination.k8s.io\"], resources: [\"leases\"], resourceNames: "
                        + "[\"ddbstream-scaler-member-agent-0\"], verbs: [\"update\"]} (see k8s/base/role.yaml)" + KEEPS));
    }

    /** A pass that cannot make one of its calls keeps what it leads, takes nothing new, writes nothing, warns once. */
    @ParameterizedTest(name = "{0} refused")
    @MethodSource("outages")
    void aPassThatCannotListOrRenewKeepsWhatItLeadsAndTakesNothing(String name, String method, String path,
                                                                    String warning) {
        LeaseSpread agent = f.start("agent-0");
        pass(agent, GROUPS);
        pass(agent, GROUPS);
        f.kube.dispatcher().inject(method, path, 403, -1);
        f.kube.dispatcher().clearLog();
        lines.list.clear();
        List<String> more = List.of("g0", "g1", "g2", "g3");
        assertEquals(Set.of("g0", "g1", "g2"), pass(agent, more), "no throw; what it led, not g3");
        assertEquals(Set.of("g0", "g1", "g2"), pass(agent, more), "still within its lease duration");
        assertEquals(List.of(), groupWrites(), "no ScaledObject Lease written");
        assertNull(f.kube.client().leases().inNamespace(NS).withName("leaders-g3").get());
        assertEquals(List.of(warning), warnings(), "one WARN for two passes");
        f.kube.dispatcher().clearFaults();
        assertEquals(Set.of("g0", "g1", "g2", "g3"), pass(agent, more), "the API answers: g3 taken");
        assertEquals("INFO the Kubernetes API server answers agent-0 again", lines().get(lines().size() - 2));
    }

    /** Tombstoned by a peer, and its re-registration fails too: it leads nothing, although its last renewal is fresh. */
    @Test
    void aDeposedAgentWhoseReRegistrationFailsLeadsNothing() {
        LeaseSpread agent = f.start("agent-0");
        pass(agent, GROUPS);
        pass(agent, GROUPS);
        Lease membership = f.kube.client().leases().inNamespace(NS).withName("ddbstream-scaler-member-agent-0").get();
        new LeaseWrites(f.kube.client(), NS, "agent-1", Duration.ofSeconds(15), true).tombstone(membership);
        f.kube.dispatcher().inject("GET", LEASES + "/ddbstream-scaler-member-agent-0", 403, -1);
        assertEquals(Set.of(), pass(agent, GROUPS));
        GROUPS.forEach(g -> assertFalse(agent.leads(g), g));
        assertEquals(0, agent.held());
        assertEquals(2, warnings().size(), "the failed GET, then the break: " + warnings());
        assertTrue(warnings().get(1).startsWith("Lease spread: agent-0's membership Lease was tombstoned or deleted by a "
                + "peer (this agent missed its renewals for a lease duration of PT15S): it stops leading its 3 groups"),
                warnings().get(1));
    }

    /**
     * agent-1 hangs holding its share; after a lease duration agent-0 must tombstone its membership before taking
     * over. While that write is refused agent-0 takes none of agent-1's groups and tries it once a pass, not once a
     * group; once it goes through, it takes them all.
     */
    @Test
    void aHungHoldersGroupsAreTakenOnlyAfterItsTombstoneIsWritten() {
        LeaseSpread zero = f.start("agent-0");
        LeaseSpread one = f.start("agent-1");
        List<String> six = List.of("g0", "g1", "g2", "g3", "g4", "g5");
        for (int round = 0; round < 2; round++) {
            pass(zero, six);
            pass(one, six);
        }
        assertEquals(3, one.held(), "a fair share each");
        Set<String> zeros = zero.reconcile(six);
        f.kube.dispatcher().inject("PUT", LEASES + "/ddbstream-scaler-member-agent-1", 403, -1);
        for (int i = 0; i < 8; i++) { // 16 s: agent-1's membership has stood still for a lease duration
            assertEquals(zeros, pass(zero, six));
        }
        f.kube.dispatcher().clearLog();
        assertEquals(zeros, pass(zero, six), "the tombstone is refused: nothing of agent-1's taken");
        assertEquals(1, f.kube.dispatcher().requests("PUT", LEASES + "/ddbstream-scaler-member-agent-1").size(),
                "one tombstone attempt in the pass, though agent-1 holds three groups");
        assertEquals(List.of(), groupWrites());
        f.kube.dispatcher().clearFaults();
        assertEquals(Set.copyOf(six), pass(zero, six));
        assertNull(LeaseSpread.holderOf(f.kube.client().leases().inNamespace(NS)
                .withName("ddbstream-scaler-member-agent-1").get()), "tombstoned");
    }

    /** A holder with no membership Lease at all (gone before this agent started): taken after a lease duration. */
    @Test
    void aHolderThatNeverRegisteredIsWaitedForOneLeaseDuration() {
        f.kube.client().leases().inNamespace(NS).resource(LeaseSpread.newLease(NS, "leaders-g1", LeaseSpread.SCALEDOBJECT)
                .withNewSpec().withHolderIdentity("agent-9").withRenewTime(f.clock.instant().atZone(ZoneOffset.UTC))
                .endSpec().build()).create();
        LeaseSpread agent = f.start("agent-0");
        pass(agent, GROUPS); // t = 0: agent-9 first seen absent
        for (int i = 1; i <= 6; i++) { // t = 2 s .. 12 s
            assertEquals(Set.of("g0", "g2"), pass(agent, GROUPS), "agent-9 may still be leading g1");
        }
        pass(agent, GROUPS); // t = 14 s
        assertEquals(Set.of("g0", "g1", "g2"), pass(agent, GROUPS), "t = 16 s: a lease duration after it was first missed");
    }

    /** An agent restarted in the same pod finds Leases naming it: it hands them over, then re-claims them by writes. */
    @Test
    void aRestartedAgentHandsOverWhatItsEarlierLifeHeldThenTakesItAgain() {
        pass(f.start("agent-0"), GROUPS);
        pass(f.agents.get("agent-0"), GROUPS);
        LeaseSpread again = new LeaseSpread(f.client, NS, "agent-0", LeaseSpread.CANDIDATE_LABELS, SpreadFleet.LEASE,
                f.clock);
        lines.list.clear();
        assertEquals(Set.of(), pass(again, GROUPS), "not live yet");
        assertEquals(Map.of(), holders(), "released");
        assertEquals(Set.of("g0", "g1", "g2"), pass(again, GROUPS));
        assertEquals(List.of("INFO agent-0 leads 0 of 3 ScaledObject groups over 1 live members [agent-0]",
                "INFO agent-0 leads 3 of 3 ScaledObject groups over 1 live members [agent-0]"), lines(),
                "a pass that only hands over says so too");
    }

    @Test
    void aGroupNoLongerWantedIsHandedOver() {
        LeaseSpread agent = f.start("agent-0");
        pass(agent, GROUPS);
        pass(agent, GROUPS);
        assertEquals(Set.of("g0", "g2"), pass(agent, List.of("g0", "g2")));
        assertEquals(Map.of("g0", "agent-0", "g2", "agent-0"), holders());
        assertFalse(agent.leads("g1"));
    }

    /**
     * The holders go into the assignment: agent-0, holding g0..g5, keeps its three heaviest (g0, g3, g5 by the hashlib
     * weights of {@link Rendezvous}) and hands over g1, g2, g4. Assigned without the holders, g4 and g5 would swap.
     */
    @Test
    void aJoinerGetsWhatTheHolderWeighsLeast() {
        List<String> six = List.of("g0", "g1", "g2", "g3", "g4", "g5");
        LeaseSpread zero = f.start("agent-0");
        pass(zero, six);
        pass(zero, six);
        LeaseSpread one = f.start("agent-1");
        for (int round = 0; round < 3; round++) {
            pass(zero, six);
            pass(one, six);
        }
        assertEquals(Map.of("g0", "agent-0", "g1", "agent-1", "g2", "agent-1", "g3", "agent-0", "g4", "agent-1",
                "g5", "agent-0"), holders());
        assertEquals(Set.of("g1", "g2", "g4"), one.reconcile(six));
    }

    /** The membership Lease is owned by this agent's own pod (not the first pod listed), so it goes with it. */
    @Test
    void theMembershipIsOwnedByItsOwnPod() {
        f.start("agent-0");
        LeaseSpread one = f.start("agent-1");
        pass(one, GROUPS);
        String uid = f.kube.client().pods().inNamespace(NS).withName("agent-1").get().getMetadata().getUid();
        assertEquals(List.of("v1/Pod/agent-1/" + uid), LeaseWritesTest.owners(f.kube.client().leases().inNamespace(NS)
                .withName("ddbstream-scaler-member-agent-1").get()));
        assertFalse(uid.equals(f.kube.client().pods().inNamespace(NS).withName("agent-0").get().getMetadata().getUid()));
    }

    /** Shutdown: every held Lease released and the membership deleted, once; a second call writes no group Lease. */
    @Test
    void releaseAllHandsEverythingOverOnce() {
        LeaseSpread agent = f.start("agent-0");
        pass(agent, GROUPS);
        pass(agent, GROUPS);
        agent.releaseAll();
        assertEquals(Map.of(), holders());
        assertNull(f.kube.client().leases().inNamespace(NS).withName("ddbstream-scaler-member-agent-0").get());
        assertEquals(0, agent.held());
        assertFalse(agent.leads("g0"));
        f.kube.dispatcher().clearLog();
        agent.releaseAll();
        assertEquals(List.of(), groupWrites());
    }

    // ---- helpers

    Set<String> pass(LeaseSpread agent, List<String> groups) {
        Set<String> led = agent.reconcile(groups);
        f.clock.advance(PASS);
        return led;
    }

    Map<String, String> holders() {
        return new java.util.TreeMap<>(f.holders());
    }

    List<String> groupWrites() {
        return f.kube.requests().stream().filter(r -> !r.method().equals("GET") && r.path().contains("/leases/leaders-"))
                .map(r -> r.method() + " " + r.path()).toList();
    }

    List<String> lines() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.INFO)
                .map(e -> "INFO " + e.getFormattedMessage().substring("Lease spread: ".length())).toList();
    }

    List<String> warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
