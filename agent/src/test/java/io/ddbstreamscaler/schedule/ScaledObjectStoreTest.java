package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.policy.HpaBehavior;
import io.ddbstreamscaler.policy.HpaScalingPolicy;
import io.ddbstreamscaler.policy.HpaScalingRules;
import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.policy.PolicyInput;
import io.ddbstreamscaler.policy.ReplicaPolicy;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.policy.ScaleDecision.Reason;
import io.ddbstreamscaler.policy.ScalingSettings;
import io.ddbstreamscaler.policy.TriggerReading;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * README: "A changed ScaledObject ... keeps its policy history", as KEDA keeps its HPA's. Each test lets the policy
 * decide from the store's history before and after an edit, where a history started afresh would decide otherwise.
 */
class ScaledObjectStoreTest {

    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    static final String TRIGGER = "s0-aws-dynamodb-streams-orders";

    static ScaledObjectConfig config(int interval, ScalingSettings settings) {
        return new ScaledObjectConfig(Path.of("so.yaml"), "shop", "orders", PollTest.DEPLOYMENT, interval, settings,
                List.of(PollTest.trigger("orders", true)));
    }

    static TriggerReading shards(double shards, long shardCount, long activation) {
        return TriggerReading.of(TRIGGER, MetricType.AVERAGE_VALUE, shardCount, activation, shards);
    }

    /** One poll: the policy decides from the store's history, the write succeeds. */
    static ScaleDecision poll(ScaledObjectStore.Entry e, TriggerReading reading, int current, Instant now) {
        ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(List.of(reading), current, e.config().scaling(),
                e.history(), now, false));
        e.committed(now, pollOf(e, d, WriteStatus.WRITTEN));
        return d;
    }

    static Poll pollOf(ScaledObjectStore.Entry e, ScaleDecision d, WriteStatus write) {
        TriggerConfig orders = PollTest.trigger("orders", true);
        return new Poll(e.config(), List.of(TriggerOutcome.of(orders, PollTest.SIX_SHARDS)), d, false, 0)
                .withWrite(write);
    }

    /**
     * KEDA's cooldownPeriod runs from lastActiveTime. Active at T0; the edit (a new pollingInterval) at T0 + 60 s, and
     * the table is quiet from then on: 240 s of cooldown are left, so the count holds. A history started afresh by the
     * edit would have no lastActiveTime and judge by initialCooldownPeriod (0 s) instead.
     */
    @Test
    void theCooldownStartedBeforeAnEditStillHoldsAfterIt() {
        ScaledObjectStore store = new ScaledObjectStore();
        ScalingSettings zeroMin = new ScalingSettings(0, 10, null, 300, 0, null, null, null, false);
        ScaledObjectStore.Entry entry = store.put(config(30, zeroMin), T0);
        assertEquals(Reason.WithinTolerance, poll(entry, shards(4, 2, 0), 2, T0).reason());

        ScaledObjectStore.Entry edited = store.put(config(10, zeroMin), T0.plusSeconds(60));
        assertSame(entry, edited, "the edit replaces the configuration of the same entry");
        assertEquals(10, edited.config().pollingIntervalSeconds());
        assertEquals(T0, edited.history().lastActiveTime(), "lastActiveTime survives the edit");

        ScaleDecision quiet = poll(edited, shards(0, 2, 0), 2, T0.plusSeconds(70));
        assertEquals(Reason.CooldownHold, quiet.reason(), quiet.message());
        assertEquals(2, quiet.desiredReplicas());
        ScaleDecision later = poll(edited, shards(0, 2, 0), 2, T0.plusSeconds(301));
        assertEquals(Reason.Inactive, later.reason(), "300 s after T0, not after the edit: " + later.message());
        assertEquals(0, later.desiredReplicas());
    }

    /**
     * The HPA's rate limit counts the scale events of its period. A scale-up of 1 pod per 300 s: 1 -> 2 at T0; the
     * edit (shardCount 2 -> 1) at T0 + 30 s asks for 4, and the event of T0 still limits the step. A history started
     * afresh would allow 2 -> 3.
     */
    @Test
    void theScaleEventsOfTheRateLimitSurviveAnEdit() {
        HpaBehavior onePodPer300s = new HpaBehavior(new HpaScalingRules(0, null,
                List.of(new HpaScalingPolicy(HpaScalingPolicy.Type.PODS, 1, 300))), null);
        ScalingSettings settings = new ScalingSettings(1, 10, null, 300, 0, null, onePodPer300s, null, false);
        ScaledObjectStore store = new ScaledObjectStore();
        ScaledObjectStore.Entry entry = store.put(config(30, settings), T0);
        ScaleDecision first = poll(entry, shards(4, 2, 0), 1, T0);
        assertEquals(List.of(2, 1), List.of(first.desiredReplicas(), entry.history().scaleUpEvents().size()),
                first.message());

        store.put(config(10, settings), T0.plusSeconds(30));
        ScaleDecision afterEdit = poll(store.require("shop/orders"), shards(4, 1, 0), 2, T0.plusSeconds(30));
        assertEquals(Reason.RateLimitedUp, afterEdit.reason(), afterEdit.message());
        assertEquals(2, afterEdit.desiredReplicas(), "the event of T0 is still in the period");
        ScaleDecision periodOver = poll(store.require("shop/orders"), shards(4, 1, 0), 2, T0.plusSeconds(301));
        assertEquals(3, periodOver.desiredReplicas(), "one pod more once the period has passed: " + periodOver.message());
    }

    @Test
    void aFailedWriteRecordsNoScaleEventButKeepsTheRest() {
        HpaBehavior defaults = new HpaBehavior(null, null);
        ScalingSettings settings = new ScalingSettings(1, 10, null, 300, 0, null, defaults, null, false);
        ScaledObjectStore.Entry entry = new ScaledObjectStore().put(config(30, settings), T0);
        ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(List.of(shards(6, 2, 0)), 1, settings, entry.history(),
                T0, false));
        entry.committed(T0, pollOf(entry, d, WriteStatus.failed("conflict (409)")));
        assertEquals(List.of(), entry.history().scaleUpEvents(), "no event when the write failed");
        assertEquals(T0, entry.history().lastActiveTime(), "the rest of the decision's history is kept");
        assertEquals("write failed: conflict (409)", entry.lastError());

        ScaleDecision again = ReplicaPolicy.decide(new PolicyInput(List.of(shards(6, 2, 0)), 1, settings,
                entry.history(), T0.plusSeconds(30), false));
        entry.committed(T0.plusSeconds(30), pollOf(entry, again, WriteStatus.WRITTEN));
        assertEquals(1, entry.history().scaleUpEvents().size(), "the event once written");
    }

    @Test
    void aRemovedScaledObjectComesBackWithAFreshHistory() {
        ScaledObjectStore store = new ScaledObjectStore();
        ScalingSettings zeroMin = new ScalingSettings(0, 10, null, 300, 0, null, null, null, false);
        poll(store.put(config(30, zeroMin), T0), shards(4, 2, 0), 2, T0);
        store.remove("shop/orders");
        assertEquals(0, store.size());
        ScaledObjectStore.Entry again = store.put(config(30, zeroMin), T0.plusSeconds(60));
        assertEquals(null, again.history().lastActiveTime());
        assertEquals(T0.plusSeconds(60), again.loadedAt());
    }

    /** What the status endpoint and the reading-age gauge read after each kind of poll. */
    @Test
    void eachPollIsRecordedWithItsReadingAndItsError() {
        ScaledObjectStore store = new ScaledObjectStore();
        ScaledObjectStore.Entry e = store.put(config(30, ScalingSettings.kedaDefaults()), T0);
        assertEquals(List.of(0L, false), List.of(e.polls(), e.lastPollFailed()));

        TriggerConfig orders = PollTest.trigger("orders", true);
        Poll good = new Poll(e.config(), List.of(TriggerOutcome.of(orders, PollTest.SIX_SHARDS)),
                PollTest.decision(2, 3), false, 0);
        e.committed(T0.plusSeconds(1), good);
        assertEquals(List.of(1L, false, T0.plusSeconds(1), T0.plusSeconds(1)),
                List.of(e.polls(), e.lastPollFailed(), e.lastPoll(), e.lastReading()));
        assertEquals(null, e.lastError());
        assertEquals(good.decision(), e.lastDecision());
        assertEquals(good.outcomes(), e.lastOutcomes());

        Poll probeFailed = new Poll(e.config(), List.of(TriggerOutcome.failed(orders, PollTest.MISSING)),
                PollTest.decision(3, 3), false, 0);
        e.committed(T0.plusSeconds(31), probeFailed);
        assertEquals(List.of(2L, true, T0.plusSeconds(31), T0.plusSeconds(1)),
                List.of(e.polls(), e.lastPollFailed(), e.lastPoll(), e.lastReading()), "no new reading");
        assertEquals("table orders: table gone not found in region eu-west-1", e.lastError());

        Poll writeFailed = new Poll(e.config(), List.of(TriggerOutcome.of(orders, PollTest.SIX_SHARDS)),
                PollTest.decision(3, 4), false, 0).withWrite(WriteStatus.failed("forbidden (403)"));
        e.committed(T0.plusSeconds(61), writeFailed);
        assertEquals(List.of(3L, true, T0.plusSeconds(61)), List.of(e.polls(), e.lastPollFailed(), e.lastReading()));
        assertEquals("write failed: forbidden (403)", e.lastError());

        e.failed(T0.plusSeconds(91), "reading /scale failed: 503");
        assertEquals(List.of(4L, true, T0.plusSeconds(91)), List.of(e.polls(), e.lastPollFailed(), e.lastPoll()));
        assertEquals("reading /scale failed: 503", e.lastError());
    }

    @Test
    void aScaledObjectNotLoadedIsNamedWhenRequired() {
        ScaledObjectStore store = new ScaledObjectStore();
        store.put(config(30, ScalingSettings.kedaDefaults()), T0);
        assertEquals(1, store.size());
        assertEquals(List.of("shop/orders"), store.all().stream().map(x -> x.config().id()).toList());
        assertEquals(true, store.get("shop/orders").isPresent());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> store.require("shop/other"));
        assertEquals("ScaledObject shop/other is not loaded (removed from the trigger files?)", e.getMessage());
    }
}
