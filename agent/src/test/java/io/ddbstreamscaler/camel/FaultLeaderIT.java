package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.LeaseNames;
import io.ddbstreamscaler.election.LeaseSpread;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ddbstreamscaler.camel.FaultHarness.ID;
import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.NS;
import static io.ddbstreamscaler.camel.FaultHarness.SCALE_PATH;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static io.ddbstreamscaler.camel.FaultHarness.counter;
import static io.ddbstreamscaler.camel.FaultHarness.polls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two agents, one Lease per ScaledObject, and the leader loses its Lease while a write is in flight (the write meets
 * two 409s, so the route is redelivering when the fault strikes). Afterwards: every write carries a count the shards
 * justify, no count is applied twice, and exactly one agent, the Lease holder, polls and writes.
 */
class FaultLeaderIT {

    static final Duration BOUND = Duration.ofSeconds(20);

    /** Takes the Lease away from {@code leaderPod}. */
    @FunctionalInterface
    interface LeaseFault {
        void apply(FaultHarness h, String leaderPod, String leaseName);
    }

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
        h.aws.state().createTable(TABLE, 2);
        h.createConsumer(1);
        h.kube.createPod(NS, "agent-a", LeaseSpread.CANDIDATE_LABELS, null);
        h.kube.createPod(NS, "agent-b", LeaseSpread.CANDIDATE_LABELS, null);
        h.writeTriggers("so.yaml", h.scaledObject(2, KEY_ID, ""));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Stream<Arguments> leaseFaults() {
        return Stream.of(
                // name, how the leader loses its Lease
                Arguments.of("the Lease deleted mid-write",
                        (LeaseFault) (h, pod, lease) -> h.kube.client().leases().inNamespace(NS).withName(lease).delete()));
    }

    static final LeaseFault POD_NOT_READY = (h, pod, lease) -> h.kube.client().pods().inNamespace(NS).withName(pod)
            .edit(p -> new PodBuilder(p).editStatus()
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("False").build())
                    .endStatus().build());

    /**
     * After its pod turns NotReady the old leader hands its Lease over on its own next pass and the other agent takes it
     * on its next (LeaseSpread). The agent also asks the API server who holds the Lease before each write, so a poll
     * still in flight on the old leader never writes.
     */
    @Test
    void exactlyOneAgentWritesAfterTheLeadersPodTurnsNotReadyMidWrite() throws Exception {
        exactlyOneAgentWritesAfterTheLeaderLosesItsLeaseMidWrite("the leader's pod NotReady mid-write", POD_NOT_READY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaseFaults")
    void exactlyOneAgentWritesAfterTheLeaderLosesItsLeaseMidWrite(String name, LeaseFault fault) throws Exception {
        Map<String, ScalerAgent> agents = Map.of(
                "agent-a", h.start(h.options(true, "agent-a")),
                "agent-b", h.start(h.options(true, "agent-b")));
        await().atMost(BOUND).until(() -> agents.values().stream().mapToLong(FaultHarness::polls).sum() >= 2);
        String leaderPod = polls(agents.get("agent-a")) > 0 ? "agent-a" : "agent-b";
        String leaseName = LeaseNames.lease(NS, FaultHarness.SO);

        // The leader's write meets two conflicts: the scale port retries while the Lease goes.
        h.kube.dispatcher().inject("PUT", SCALE_PATH, 409, 2);
        h.aws.state().split(TABLE, 2); // 6 shards: 3 replicas
        await().atMost(BOUND).until(() -> !h.kube.dispatcher().requests("PUT", SCALE_PATH).isEmpty());
        fault.apply(h, leaderPod, leaseName);
        await().atMost(BOUND).until(() -> Integer.valueOf(3).equals(h.replicas()));

        // Leadership settles: exactly one agent leads; after a NotReady, not the agent whose pod it is (its own next
        // Lease pass hands over, the other takes the Lease on its next).
        ScalerAgent a = agents.get("agent-a");
        ScalerAgent b = agents.get("agent-b");
        ScalerAgent[] polling = new ScalerAgent[1];
        await().atMost(BOUND).until(() -> {
            boolean aLeads = a.leads(ID);
            boolean bLeads = b.leads(ID);
            polling[0] = aLeads ? a : b;
            String pod = aLeads ? "agent-a" : "agent-b";
            return aLeads != bLeads && (fault != POD_NOT_READY || !pod.equals(leaderPod));
        });
        ScalerAgent writer = polling[0];
        String writerPod = writer == a ? "agent-a" : "agent-b";
        ScalerAgent other = writer == a ? b : a;

        // The one that polls writes the next count, once; the other stays idle.
        h.aws.state().split(TABLE, 1); // 7 shards: 4 replicas
        int next = 4;
        await().atMost(BOUND).until(() -> Integer.valueOf(next).equals(h.replicas()));
        long otherPolls = polls(other);
        long writerPolls = polls(writer);
        await().atMost(BOUND).until(() -> polls(writer) >= writerPolls + 2);
        List<Integer> writes = h.scaleWrites();
        assertAll(
                () -> assertEquals(otherPolls, polls(other), "the agent without the Lease does not poll"),
                () -> assertEquals(writerPod, holder(leaseName), "the polling agent holds the Lease"),
                () -> assertEquals(List.of(3, 3, 3, next), writes,
                        "3 refused twice then applied once (no second agent writes it again), then " + next + " once"),
                () -> assertEquals(2.0, counter(writer, "ddbstream.scaler.scale.writes", "outcome", "success")
                        + counter(other, "ddbstream.scaler.scale.writes", "outcome", "success"), "two writes applied in all"));
    }

    private String holder(String leaseName) {
        Lease lease = h.kube.client().leases().inNamespace(NS).withName(leaseName).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }
}
