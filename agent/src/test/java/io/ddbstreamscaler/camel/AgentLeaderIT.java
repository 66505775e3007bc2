package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.LeaseNames;
import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.election.LeaseSpread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two agents (two sidecars of one consumer) and one Lease per ScaledObject: exactly one polls and writes; when its pod
 * goes, the other takes over.
 */
class AgentLeaderIT {

    static final String ID = "keda-test/orders-consumer";

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        h.aws.state().createTable("orders", 2);
        h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        // Candidates must be Running, Ready pods carrying the cluster label (camel-kubernetes' rule).
        h.kube.createPod(AgentHarness.NS, "agent-a", LeaseSpread.CANDIDATE_LABELS, null);
        h.kube.createPod(AgentHarness.NS, "agent-b", LeaseSpread.CANDIDATE_LABELS, null);
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Records what an agent asks of AWS: counts and the SDK warm-up (a recording wrapper of the real counter). */
    static final class RecordingCounter implements io.ddbstreamscaler.stream.ShardCounter {
        final io.ddbstreamscaler.stream.ShardCounter real = new io.ddbstreamscaler.stream.AwsShardCounter(AgentHarness.probeOptions());
        final java.util.concurrent.atomic.AtomicInteger counts = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger warmUps = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public io.ddbstreamscaler.stream.ShardReading count(io.ddbstreamscaler.trigger.TriggerConfig trigger) {
            counts.incrementAndGet();
            return real.count(trigger);
        }

        @Override
        public void warmUp() {
            warmUps.incrementAndGet();
            real.warmUp();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void aStandbyMakesNoAwsCallUntilItLeads() throws Exception {
        RecordingCounter awsOfA = new RecordingCounter();
        RecordingCounter awsOfB = new RecordingCounter();
        ScalerAgent a = h.start(h.options(false, true, "agent-a"), awsOfA);
        ScalerAgent b = h.start(h.options(false, true, "agent-b"), awsOfB);
        await().atMost(Duration.ofSeconds(20)).until(() -> polls(a) + polls(b) >= 3);
        ScalerAgent leader = polls(a) > 0 ? a : b;
        RecordingCounter standbyAws = leader == a ? awsOfB : awsOfA;
        RecordingCounter leaderAws = leader == a ? awsOfA : awsOfB;
        assertEquals(0, standbyAws.counts.get(), "the standby counted nothing");
        assertEquals(0, standbyAws.warmUps.get(), "the standby did not even load the SDK's classes");
        assertTrue(leaderAws.counts.get() >= 3, "the leader polls");

        leader.close();
        h.kube.client().pods().inNamespace(AgentHarness.NS).withName(leader == a ? "agent-a" : "agent-b").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> standbyAws.counts.get() >= 2);
        assertEquals(1, standbyAws.warmUps.get(), "warmed up once, when it first led");
    }

    @Test
    void exactlyOneAgentPollsAndTheOtherTakesOverWhenItStops() throws Exception {
        ScalerAgent a = h.start(h.options(false, true, "agent-a"));
        ScalerAgent b = h.start(h.options(false, true, "agent-b"));
        await().atMost(Duration.ofSeconds(20)).until(() -> polls(a) + polls(b) >= 3);
        ScalerAgent leader = polls(a) > 0 ? a : b;
        ScalerAgent follower = leader == a ? b : a;
        long followerBefore = polls(follower);
        assertEquals(0, followerBefore, "only the Lease holder polls");
        assertEquals(1.0, leader.registry().find("ddbstream.scaler.leader").gauge().value());
        assertEquals(0.0, follower.registry().find("ddbstream.scaler.leader").gauge().value());
        assertNotNull(h.kube.client().leases().inNamespace(AgentHarness.NS)
                .withName(LeaseNames.lease(AgentHarness.NS, "orders-consumer")).get(), "the Lease exists");

        // The leader scales on a split; the follower writes nothing.
        h.aws.state().split("orders", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(3).equals(h.replicas("Deployment", "consumer")));
        assertEquals(0, polls(follower));

        // The leader's pod goes away (rolled, scaled down, or NotReady once its agent dies): camel-kubernetes 4.18
        // deems a leader valid while its pod is a Running, Ready member, so that is what hands the Lease over.
        leader.close();
        h.kube.client().pods().inNamespace(AgentHarness.NS).withName(leader == a ? "agent-a" : "agent-b").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> polls(follower) >= 2);
        assertFalse(follower.store().require(ID).lastPollFailed());
    }

    private static long polls(ScalerAgent agent) {
        return agent.store().get(ID).map(ScaledObjectStore.Entry::polls).orElse(0L);
    }
}
