package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.HpaScalingRules.SelectPolicy;
import io.ddbstreamscaler.policy.PolicyHistory.Recommendation;
import io.ddbstreamscaler.policy.ScaleDecision.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * One decision at a time: KEDA's executor rules ({@code kedacore/keda: pkg/scaling/executor/scale_scaledobjects.go}),
 * KEDA's fallback ({@code pkg/fallback/fallback.go}) and the HPA's reconcile
 * ({@code kubernetes/kubernetes: pkg/controller/podautoscaler/horizontal.go}) put together. Each row names its source.
 */
class ReplicaPolicyTest {

    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    static final String T = "s0-aws-dynamodb-streams-orders";
    static final String T2 = "s1-aws-dynamodb-streams-audit";

    record Row(String name, ScalingSettings settings, int current, PolicyHistory history,
               List<TriggerReading> readings, boolean sidecar, int expectedDesired, Reason expectedReason) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ---- settings: KEDA defaults (min 0, max 100, cooldown 300 s) with one field changed
    static ScalingSettings defaults() {
        return ScalingSettings.kedaDefaults();
    }

    static ScalingSettings minMax(int min, int max) {
        return new ScalingSettings(min, max, null, 300, 0, null, null, null, false);
    }

    static ScalingSettings idle(int idle, int min) {
        return new ScalingSettings(min, 100, idle, 300, 0, null, null, null, false);
    }

    static ScalingSettings initialCooldown(int seconds) {
        return new ScalingSettings(0, 100, null, 300, seconds, null, null, null, false);
    }

    static ScalingSettings fallback(int threshold, int replicas) {
        return new ScalingSettings(0, 100, null, 300, 0, new Fallback(threshold, replicas), null, null, false);
    }

    static ScalingSettings behavior(HpaBehavior behavior) {
        return new ScalingSettings(1, 1000, null, 300, 0, null, behavior, null, false);
    }

    static ScalingSettings pausedReplicas(int n) {
        return new ScalingSettings(0, 100, null, 300, 0, null, null, n, false);
    }

    static ScalingSettings paused() {
        return new ScalingSettings(0, 100, null, 300, 0, null, null, null, true);
    }

    // ---- readings
    static TriggerReading avg(double shards, long target) {
        return TriggerReading.of(T, MetricType.AVERAGE_VALUE, target, 0, shards);
    }

    static TriggerReading avg(String name, double shards, long target, long activation) {
        return TriggerReading.of(name, MetricType.AVERAGE_VALUE, target, activation, shards);
    }

    static TriggerReading failed(MetricType type) {
        return TriggerReading.failed(T, type, 2, 0, "THROTTLED: DescribeStream rate exceeded");
    }

    // ---- history: created an hour ago, last active some seconds ago (null: never), recommendations, failures
    static PolicyHistory history(Integer lastActiveAgo, List<Recommendation> recs, Map<String, Integer> failures) {
        return new PolicyHistory(NOW.minusSeconds(3600), lastActiveAgo == null ? null : NOW.minusSeconds(lastActiveAgo),
                recs, List.of(), List.of(), failures);
    }

    static PolicyHistory activeAgo(int seconds) {
        return history(seconds, List.of(), Map.of());
    }

    /** A recommendation older than every window: stabilization does not hold the first decision at current. */
    static PolicyHistory staleRecommendation(int replicas) {
        return history(0, List.of(new Recommendation(replicas, NOW.minusSeconds(3600))), Map.of());
    }

    static PolicyHistory failures(int n) {
        return history(0, List.of(), Map.of(T, n));
    }

    static Row row(String name, ScalingSettings s, int current, PolicyHistory h, List<TriggerReading> readings,
                   int desired, Reason reason) {
        return new Row(name, s, current, h, readings, false, desired, reason);
    }

    static Stream<Row> rows() {
        return Stream.of(
                // KEDA RequestScale, active branch
                row("KEDA scaleFromZeroOrIdle: active from 0 goes to 1 when minReplicaCount is 0", defaults(), 0,
                        PolicyHistory.empty(), List.of(avg(5, 2)), 1, Reason.Activated),
                row("KEDA scaleFromZeroOrIdle: active from 0 goes to minReplicaCount", minMax(3, 10), 0,
                        PolicyHistory.empty(), List.of(avg(5, 2)), 3, Reason.Activated),
                row("KEDA aws_dynamodb_streams IsActive: value equal to activationShardCount is not active", defaults(), 0,
                        PolicyHistory.empty(), List.of(avg(T, 5, 2, 5)), 0, Reason.Inactive),
                row("KEDA scaleFromZeroOrIdle: active below min with idleReplicaCount set goes to min", idle(1, 3), 1,
                        activeAgo(600), List.of(avg(5, 2)), 3, Reason.Activated),
                // KEDA RequestScale, inactive branch
                row("KEDA scaleToZeroOrIdle: within cooldownPeriod the count holds", defaults(), 2,
                        activeAgo(100), List.of(avg(0, 2)), 2, Reason.CooldownHold),
                row("KEDA scaleToZeroOrIdle: cooldownPeriod passed goes to 0", defaults(), 2,
                        activeAgo(301), List.of(avg(0, 2)), 0, Reason.Inactive),
                row("KEDA scaleToZeroOrIdle: exactly at cooldownPeriod still holds (Before is strict)", defaults(), 2,
                        activeAgo(300), List.of(avg(0, 2)), 2, Reason.CooldownHold),
                row("KEDA getIdleOrMinimumReplicaCount: cooldown passed goes to idleReplicaCount", idle(1, 3), 3,
                        activeAgo(301), List.of(avg(0, 2)), 1, Reason.Inactive),
                row("KEDA scaleToZeroOrIdle: never active, within initialCooldownPeriod holds", initialCooldown(7200), 2,
                        history(null, List.of(), Map.of()), List.of(avg(0, 2)), 2, Reason.InitialCooldownHold),
                row("KEDA scaleToZeroOrIdle: never active, initialCooldownPeriod passed goes to 0", initialCooldown(120), 2,
                        history(null, List.of(), Map.of()), List.of(avg(0, 2)), 0, Reason.Inactive),
                row("KEDA RequestScale: inactive below minReplicaCount without idle goes to min", minMax(2, 10), 1,
                        activeAgo(600), List.of(avg(0, 2)), 2, Reason.ClampedToMin),
                // HPA on KEDA's external metric
                row("HPA GetExternalPerPodMetricReplicas: ceil(7 / 2) = 4", defaults(), 2,
                        activeAgo(30), List.of(avg(7, 2)), 4, Reason.ScaleUp),
                row("HPA GetExternalPerPodMetricReplicas: ratio 21 / (2 x 10) = 1.05 is within tolerance", defaults(), 10,
                        activeAgo(30), List.of(avg(21, 2)), 10, Reason.WithinTolerance),
                row("HPA computeReplicasForMetrics: the largest trigger wins", defaults(), 3,
                        activeAgo(30), List.of(avg(T, 4, 2, 0), avg(T2, 12, 2, 0)), 6, Reason.ScaleUp),
                row("HPA convertDesiredReplicasWithRules: scale-up limit max(2 x 3, 4) = 6", defaults(), 3,
                        activeAgo(30), List.of(avg(100, 1)), 6, Reason.RateLimitedUp),
                row("HPA convertDesiredReplicasWithRules: scale-up limit from 1 is 4", defaults(), 1,
                        activeAgo(30), List.of(avg(50, 1)), 4, Reason.RateLimitedUp),
                row("HPA stabilizeRecommendation: a higher recommendation 200 s ago holds the scale-down", defaults(), 8,
                        history(0, List.of(new Recommendation(8, NOW.minusSeconds(200))), Map.of()),
                        List.of(avg(4, 2)), 8, Reason.StabilizedDown),
                row("HPA stabilizeRecommendation: recommendations older than 300 s no longer hold", defaults(), 8,
                        staleRecommendation(8), List.of(avg(4, 2)), 2, Reason.ScaleDown),
                row("HPA convertDesiredReplicasWithRules: maxReplicaCount caps", minMax(0, 8), 5,
                        activeAgo(30), List.of(avg(1000, 1)), 8, Reason.ClampedToMax),
                row("HPA convertDesiredReplicasWithRules: max(minReplicaCount, 1) raises while active", minMax(3, 10), 4,
                        staleRecommendation(4), List.of(avg(1, 2)), 3, Reason.ClampedToMin),
                row("HPA reconcileAutoscaler: current above maxReplicas goes to max", minMax(0, 10), 12,
                        activeAgo(30), List.of(avg(4, 2)), 10, Reason.ClampedToMax),
                // failures
                row("HPA computeReplicasForMetrics: the only metric failing holds the count", defaults(), 4,
                        activeAgo(30), List.of(failed(MetricType.AVERAGE_VALUE)), 4, Reason.ProbeFailedHold),
                row("KEDA RequestScale: failing with no fallback never scales to zero after cooldown", defaults(), 4,
                        activeAgo(3000), List.of(failed(MetricType.AVERAGE_VALUE)), 4, Reason.ProbeFailedHold),
                row("HPA computeReplicasForMetrics: some invalid and we would scale down holds", defaults(), 4,
                        staleRecommendation(4), List.of(failed(MetricType.AVERAGE_VALUE), avg(T2, 2, 2, 0)), 4, Reason.ProbeFailedHold),
                row("HPA computeReplicasForMetrics: some invalid but the valid ones scale up", defaults(), 4,
                        activeAgo(30), List.of(failed(MetricType.AVERAGE_VALUE), avg(T2, 12, 2, 0)), 6, Reason.ScaleUp),
                row("KEDA GetMetricsWithFallback: failures equal to failureThreshold hold", fallback(3, 6), 4,
                        failures(2), List.of(failed(MetricType.AVERAGE_VALUE)), 4, Reason.ProbeFailedHold),
                row("KEDA GetMetricsWithFallback: more than failureThreshold failures go to fallback.replicas", fallback(3, 6), 4,
                        failures(3), List.of(failed(MetricType.AVERAGE_VALUE)), 6, Reason.Fallback),
                row("KEDA isFallbackEnabled: fallback is only for AverageValue metrics", fallback(3, 6), 4,
                        failures(10), List.of(failed(MetricType.VALUE)), 4, Reason.ProbeFailedHold),
                // the edges: each row sits on a boundary of the rule it names
                row("HPA reconcileAutoscaler: current equal to maxReplicas is not clamped", minMax(0, 10), 10,
                        activeAgo(30), List.of(avg(20, 2)), 10, Reason.WithinTolerance),
                row("HPA reconcileAutoscaler: above maxReplicas is clamped even while the metric fails", minMax(0, 10), 12,
                        activeAgo(30), List.of(failed(MetricType.AVERAGE_VALUE)), 10, Reason.ClampedToMax),
                row("HPA reconcileAutoscaler: below minReplicas is raised even while a metric fails", minMax(3, 10), 2,
                        activeAgo(30), List.of(failed(MetricType.AVERAGE_VALUE), avg(T2, 1, 2, 0)), 3, Reason.ClampedToMin),
                row("HPA computeReplicasForMetrics: a metric asking 0 replicas is still the one that counts",
                        minMax(2, 10), 3, staleRecommendation(3), List.of(avg(0, 2)), 2, Reason.ClampedToMin),
                row("HPA computeReplicasForMetrics: some invalid and the valid ones ask the current count proceed",
                        defaults(), 4, activeAgo(30), List.of(failed(MetricType.AVERAGE_VALUE), avg(T2, 8, 2, 0)), 4,
                        Reason.WithinTolerance),
                row("KEDA GetMetricsWithFallback: failureThreshold 0 falls back at the first failure", fallback(0, 6), 4,
                        failures(0), List.of(failed(MetricType.AVERAGE_VALUE)), 6, Reason.Fallback),
                row("KEDA GetMetricsWithFallback: fallback.replicas 0 is a fallback too (the cooldown then holds)",
                        fallback(3, 0), 4, history(100, List.of(), Map.of(T, 3)), List.of(failed(MetricType.AVERAGE_VALUE)),
                        4, Reason.CooldownHold),
                row("KEDA RequestScale: failing with a fallback never scales to zero after cooldown", fallback(3, 6), 4,
                        history(3000, List.of(), Map.of(T, 1)), List.of(failed(MetricType.AVERAGE_VALUE)), 4,
                        Reason.ProbeFailedHold),
                row("HPA stabilizeRecommendation: a recent higher recommendation lifts a count the metric would keep",
                        defaults(), 4, history(0, List.of(new Recommendation(8, NOW.minusSeconds(200))), Map.of()),
                        List.of(avg(8, 2)), 8, Reason.StabilizedUp),
                row("KEDA scaleFromZeroOrIdle: active at minReplicaCount with idleReplicaCount set is the HPA's",
                        idle(1, 3), 3, activeAgo(600), List.of(avg(5, 2)), 3, Reason.NoChange),
                row("KEDA scaleToZeroOrIdle: at idleReplicaCount 0 already, nothing to deactivate", idle(0, 2), 0,
                        activeAgo(100), List.of(avg(0, 2)), 0, Reason.Inactive),
                // pause
                row("KEDA RequestScale: paused-replicas sets the count", pausedReplicas(5), 2,
                        activeAgo(30), List.of(avg(100, 2)), 5, Reason.Paused),
                row("KEDA paused annotation: holds whatever runs", paused(), 3,
                        activeAgo(30), List.of(avg(100, 2)), 3, Reason.Paused),
                // behavior
                row("HPA behavior defaults: scale-up 10 -> 20 (max of 4 pods and 100 % per 15 s)",
                        behavior(new HpaBehavior(null, null)), 10, activeAgo(30), List.of(avg(100, 1)), 20, Reason.RateLimitedUp),
                row("HPA behavior: selectPolicy Disabled for scale-down holds",
                        behavior(new HpaBehavior(null, new HpaScalingRules(0, SelectPolicy.DISABLED, null))), 10,
                        staleRecommendation(10), List.of(avg(2, 2)), 10, Reason.RateLimitedDown),
                row("HPA behavior: scale-up stabilization window keeps the lowest recent recommendation",
                        behavior(new HpaBehavior(new HpaScalingRules(300, null, null), null)), 2,
                        history(0, List.of(new Recommendation(3, NOW.minusSeconds(60))), Map.of()),
                        List.of(avg(20, 2)), 3, Reason.StabilizedUp),
                // sidecar guard
                new Row("sidecar guard: cooldown passed asks 0, the guard keeps 1", defaults(), 1,
                        activeAgo(301), List.of(avg(0, 2)), true, 1, Reason.SidecarFloor),
                new Row("sidecar guard: paused-replicas 0 is kept at 1", pausedReplicas(0), 2,
                        activeAgo(30), List.of(avg(0, 2)), true, 1, Reason.SidecarFloor),
                new Row("sidecar guard: does not touch a decision of 1 or more", defaults(), 2,
                        activeAgo(30), List.of(avg(7, 2)), true, 4, Reason.ScaleUp),
                new Row("sidecar guard: a decision of exactly 1 is left alone", defaults(), 2,
                        staleRecommendation(2), List.of(avg(2, 2)), true, 1, Reason.ScaleDown));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide(Row row) {
        ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(row.readings(), row.current(), row.settings(),
                row.history(), NOW, row.sidecar()));
        assertEquals(row.expectedDesired(), d.desiredReplicas(), () -> "desired; message: " + d.message());
        assertEquals(row.expectedReason(), d.reason(), () -> "reason; message: " + d.message());
        assertEquals(row.current(), d.currentReplicas(), "current");
        assertFalse(d.message().isBlank(), "a human message");
        assertFalse(d.message().contains("\n"), "one line");
    }

    record ActivityRow(String name, ScalingSettings settings, int current, List<TriggerReading> readings,
                       Integer expectedLastActiveAgo, int expectedFailures) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * KEDA's {@code lastActiveTime} and failure counts. The history starts with lastActiveTime 100 s ago and 2 failures
     * of {@link #T}, so a refresh (to now) and a hold (100 s ago) tell apart, and so do a reset and an increment.
     */
    static Stream<ActivityRow> activityRows() {
        return Stream.of(
                new ActivityRow("KEDA RequestScale: active, no error: lastActiveTime refreshed, failures reset",
                        defaults(), 2, List.of(avg(7, 2)), 0, 0),
                new ActivityRow("KEDA scaleFromZeroOrIdle: activation refreshes lastActiveTime",
                        defaults(), 0, List.of(avg(7, 2)), 0, 0),
                new ActivityRow("KEDA RequestScale: active but another trigger errs: lastActiveTime kept",
                        defaults(), 2, List.of(failed(MetricType.AVERAGE_VALUE), avg(T2, 7, 2, 0)), 100, 3),
                new ActivityRow("KEDA RequestScale: the only trigger fails: lastActiveTime kept, a failure added",
                        defaults(), 2, List.of(failed(MetricType.AVERAGE_VALUE)), 100, 3),
                new ActivityRow("KEDA RequestScale: inactive: lastActiveTime kept",
                        defaults(), 2, List.of(avg(0, 2)), 100, 0),
                new ActivityRow("KEDA RequestScale: paused-replicas returns before the activity is recorded",
                        pausedReplicas(2), 2, List.of(avg(7, 2)), 100, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activityRows")
    void recordsLastActiveTimeAndCountsFailures(ActivityRow row) {
        ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(row.readings(), row.current(), row.settings(),
                history(100, List.of(), Map.of(T, 2)), NOW, false));
        assertEquals(NOW.minusSeconds(row.expectedLastActiveAgo()), d.nextHistory().lastActiveTime(), d.message());
        assertEquals(row.expectedFailures(), d.nextHistory().consecutiveFailures(T), "failures of " + T);
        assertEquals(row.expectedFailures(), d.nextHistory().consecutiveFailures(), "the most of any trigger");
    }

    @Test
    void historyRecordsScaleEventsOnlyWithABehavior() {
        ScaleDecision without = ReplicaPolicy.decide(new PolicyInput(List.of(avg(7, 2)), 2, defaults(),
                activeAgo(30), NOW, false));
        assertEquals(List.of(), without.nextHistory().scaleUpEvents(), "storeScaleEvent: no behavior, no events");

        ScaleDecision with = ReplicaPolicy.decide(new PolicyInput(List.of(avg(7, 2)), 2,
                behavior(new HpaBehavior(null, null)), activeAgo(30), NOW, false));
        assertEquals(1, with.nextHistory().scaleUpEvents().size());
        assertEquals(2, with.nextHistory().scaleUpEvents().get(0).replicaChange());
    }

    record MessageRow(String name, ScalingSettings settings, int current, PolicyHistory history,
                      List<TriggerReading> readings, String expectedMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The human line, literally: what the decision line and the Events show a user. */
    static Stream<MessageRow> messages() {
        return Stream.of(
                new MessageRow("scale-up: the winning trigger, its shards, target, type and ask", defaults(), 2,
                        activeAgo(30), List.of(avg(7, 2)), T + " 7 shards at target 2 (AverageValue) asks 4 (7/2); 2 -> 4"),
                new MessageRow("a fractional value keeps its fraction", defaults(), 2, activeAgo(30),
                        List.of(avg(7.5, 2)), T + " 7.5 shards at target 2 (AverageValue) asks 4 (7.5/2); 2 -> 4"),
                new MessageRow("two triggers asking as much: the first one named", defaults(), 2, activeAgo(30),
                        List.of(avg(T, 8, 2, 0), avg(T2, 8, 2, 0)), T + " 8 shards at target 2 (AverageValue) asks 4 (8/2); 2 -> 4"),
                new MessageRow("a failing trigger is counted in the line", defaults(), 4, activeAgo(30),
                        List.of(failed(MetricType.AVERAGE_VALUE), avg(T2, 12, 2, 0)),
                        T2 + " 12 shards at target 2 (AverageValue) asks 6 (12/2) (1 trigger(s) failing); 4 -> 6"),
                new MessageRow("within tolerance", defaults(), 10, activeAgo(30), List.of(avg(21, 2)),
                        T + " 21 shards at target 2 (AverageValue) asks 11 (21/2); 21/(2 x 10) = 1.05 is within the 0.1"
                                + " tolerance: keeping 10"),
                new MessageRow("rate limited", defaults(), 3, activeAgo(30), List.of(avg(100, 1)),
                        T + " 100 shards at target 1 (AverageValue) asks 100 (100/1); rate limit allows 6; 3 -> 6"),
                new MessageRow("activation names the active triggers", defaults(), 0, PolicyHistory.empty(),
                        List.of(avg(T, 5, 2, 1), avg(T2, 0, 2, 0)), T + " 5 > 1 active; activating 0 -> 1"),
                new MessageRow("inactive below minReplicaCount", minMax(2, 10), 1, activeAgo(600), List.of(avg(0, 2)),
                        "no trigger active and current 1 is below minReplicaCount 2"),
                new MessageRow("never active, deactivated: since creation", initialCooldown(120), 2,
                        history(null, List.of(), Map.of()), List.of(avg(0, 2)),
                        "no trigger above its activationShardCount since creation; deactivating 2 -> 0"),
                new MessageRow("active once, deactivated: since when", defaults(), 2, activeAgo(301), List.of(avg(0, 2)),
                        "no trigger above its activationShardCount since 2025-01-01T11:54:59Z; deactivating 2 -> 0"),
                new MessageRow("never active, within initialCooldownPeriod", initialCooldown(7200), 2,
                        history(null, List.of(), Map.of()), List.of(avg(0, 2)), T + " 0 shards at target 2 (AverageValue)"
                                + " asks 0 (0/2); initialCooldownPeriod 7200 s runs until 2025-01-01T13:00:00Z; the HPA keeps 2;"
                                + " keeping 2"),
                new MessageRow("within cooldownPeriod", defaults(), 2, activeAgo(100), List.of(avg(0, 2)), T + " 0 shards"
                        + " at target 2 (AverageValue) asks 0 (0/2); cooldownPeriod 300 s runs until 2025-01-01T12:03:20Z; the"
                        + " HPA keeps 2; keeping 2"),
                new MessageRow("every metric failing: the first error and its count", defaults(), 4,
                        failures(2), List.of(failed(MetricType.AVERAGE_VALUE)), "invalid metrics (1 invalid out of 1), "
                                + "first error is: " + T + ": THROTTLED: DescribeStream rate exceeded (failure 3); holding 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void saysWhyInOneLine(MessageRow row) {
        ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(row.readings(), row.current(), row.settings(),
                row.history(), NOW, false));
        assertEquals(row.expectedMessage(), d.message());
    }

    /**
     * The HPA part alone at 0 replicas ("scaling is disabled since the replica count of the target is zero"): a KEDA
     * cooldown still running is reported as the reason and the message, else Inactive.
     */
    @Test
    void atZeroReplicasTheHpaReportsKedasHold() {
        PolicyInput in = new PolicyInput(List.of(avg(0, 2)), 0, defaults(), activeAgo(30), NOW, false);
        ScaleDecision held = HpaController.reconcile(new HpaController.Context(in, in.history(), false,
                Reason.CooldownHold, "cooldownPeriod 300 s runs"));
        assertEquals(List.of(0, Reason.CooldownHold, "cooldownPeriod 300 s runs"),
                List.of(held.desiredReplicas(), held.reason(), held.message()));
        ScaleDecision plain = HpaController.reconcile(new HpaController.Context(in, in.history(), false, null, null));
        assertEquals(List.of(0, Reason.Inactive, "at 0 replicas and no trigger active"),
                List.of(plain.desiredReplicas(), plain.reason(), plain.message()));
    }

    @Test
    void aScaleDownWithABehaviorRecordsItsEvent() {
        ScaleDecision down = ReplicaPolicy.decide(new PolicyInput(List.of(avg(4, 2)), 10,
                behavior(new HpaBehavior(null, new HpaScalingRules(0, null, null))), staleRecommendation(10), NOW, false));
        assertEquals(2, down.desiredReplicas(), down.message());
        assertEquals(List.of(new PolicyHistory.ScaleEvent(8, NOW, false)), down.nextHistory().scaleDownEvents());
        assertEquals(List.of(), down.nextHistory().scaleUpEvents());
    }

    record OneShotRow(String name, List<TriggerReading> readings, ScalingSettings settings, int expectedDesired,
                      Reason expectedReason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<OneShotRow> oneShotRows() {
        return Stream.of(
                new OneShotRow("active: ceil(7 / 2) = 4", List.of(avg(7, 2)), defaults(), 4, Reason.ScaleUp),
                new OneShotRow("inactive: minReplicaCount", List.of(avg(0, 2)), minMax(2, 10), 2, Reason.Inactive),
                new OneShotRow("inactive: idleReplicaCount first", List.of(avg(0, 2)), idle(1, 3), 1, Reason.Inactive),
                new OneShotRow("capped at maxReplicaCount", List.of(avg(500, 2)), minMax(0, 10), 10, Reason.ClampedToMax),
                new OneShotRow("raised to max(min, 1)", List.of(avg(1, 2)), minMax(3, 10), 3, Reason.ClampedToMin),
                new OneShotRow("every probe failed", List.of(failed(MetricType.AVERAGE_VALUE)), defaults(), 0, Reason.ProbeFailedHold),
                new OneShotRow("paused-replicas", List.of(avg(7, 2)), pausedReplicas(5), 5, Reason.Paused),
                new OneShotRow("a failed trigger beside a good one is ignored",
                        List.of(failed(MetricType.AVERAGE_VALUE), avg(T2, 7, 2, 0)), defaults(), 4, Reason.ScaleUp));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneShotRows")
    void oneShot(OneShotRow row) {
        ScaleDecision d = ReplicaPolicy.oneShot(row.readings(), row.settings());
        assertEquals(row.expectedDesired(), d.desiredReplicas(), () -> "desired; message: " + d.message());
        assertEquals(row.expectedReason(), d.reason(), () -> "reason; message: " + d.message());
    }

    @Test
    void oneShotNamesTheFirstOfTwoTriggersAskingAsMuchAndEveryFailure() {
        assertEquals(T + " 8 shards at target 2 asks 4; bounded to [1, 100]: 4",
                ReplicaPolicy.oneShot(List.of(avg(T, 8, 2, 0), avg(T2, 8, 2, 0)), defaults()).message());
        assertEquals("every probe failed: " + T + ": THROTTLED: DescribeStream rate exceeded",
                ReplicaPolicy.oneShot(List.of(failed(MetricType.AVERAGE_VALUE)), defaults()).message());
    }
}
