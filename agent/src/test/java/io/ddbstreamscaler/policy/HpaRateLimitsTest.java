package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.HpaRateLimits.Limited;
import io.ddbstreamscaler.policy.HpaScalingPolicy.Type;
import io.ddbstreamscaler.policy.HpaScalingRules.SelectPolicy;
import io.ddbstreamscaler.policy.PolicyHistory.ScaleEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rate limits, ported from {@code kubernetes/kubernetes: pkg/controller/podautoscaler/horizontal_test.go}.
 * Rows named "TestScalingWithRules: ..." carry the upstream test case name unchanged.
 */
class HpaRateLimitsTest {

    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    record BehaviorRow(String name, List<ScaleEvent> upEvents, List<ScaleEvent> downEvents, int min, int max,
                       HpaScalingRules up, HpaScalingRules down, int current, int prenormalized,
                       int expectedReplicas, String expectedCondition) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** horizontal_test.go {@code generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow)}. */
    static HpaScalingRules rules(int pods, int podsPeriod, int percent, int percentPeriod, int window) {
        List<HpaScalingPolicy> policies = new ArrayList<>();
        if (pods != 0) {
            policies.add(new HpaScalingPolicy(Type.PODS, pods, podsPeriod));
        }
        if (percent != 0) {
            policies.add(new HpaScalingPolicy(Type.PERCENT, percent, percentPeriod));
        }
        return new HpaScalingRules(window, SelectPolicy.MAX, policies);
    }

    /** horizontal_test.go {@code generateEventsUniformDistribution}: events centred in equal segments of the period. */
    static List<ScaleEvent> events(int periodSeconds, int... changes) {
        List<ScaleEvent> out = new ArrayList<>();
        double segment = (double) periodSeconds / changes.length;
        for (int i = 0; i < changes.length; i++) {
            long ago = (long) (periodSeconds - segment * (i + 1) + segment / 2);
            out.add(new ScaleEvent(changes[i], NOW.minusSeconds(ago), false));
        }
        return out;
    }

    static BehaviorRow row(String name, List<ScaleEvent> up, List<ScaleEvent> down, int min, int max,
                           HpaScalingRules upRules, HpaScalingRules downRules, int current, int desired,
                           int expected, String condition) {
        return new BehaviorRow("TestScalingWithRules: " + name, up, down, min, max, upRules, downRules, current,
                desired, expected, condition);
    }

    static Stream<BehaviorRow> scalingWithRules() {
        List<ScaleEvent> none = List.of();
        return Stream.of(
                row("prenormalized desired replicas within range", none, none, 3, 8, null, null, 5, 7, 7, "DesiredWithinRange"),
                row("prenormalized desired replicas < minReplicas", none, none, 2, 8, null, null, 3, 1, 2, "TooFewReplicas"),
                row("prenormalized desired replicas within range when minReplicas is 0", none, none, 0, 10, null, null, 1, 0, 0, "DesiredWithinRange"),
                row("maxReplicas is the limit because maxReplicas < scaleUpLimit", none, none, 1, 10, null, null, 20, 1000, 10, "TooManyReplicas"),
                row("desired replica count is more than the maximum replica count", none, none, 100, 150, null, null, 100, 1000, 150, "TooManyReplicas"),
                row("scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies", none, none, 1, 2000, rules(0, 0, 1, 60, 0), null, 3, 1000, 4, "ScaleUpLimit"),
                row("scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies", none, none, 3, 2000, null, rules(20, 60, 0, 0, 0), 1000, 3, 980, "ScaleDownLimit"),
                row("scaleUp with default behavior", none, none, 1, 1000, null, null, 10, 50, 20, "ScaleUpLimit"),
                row("scaleUp with pods policy larger than percent policy", none, none, 1, 1000, rules(100, 60, 100, 60, 0), null, 10, 500, 110, "ScaleUpLimit"),
                row("scaleUp with percent policy larger than pods policy", none, none, 1, 1000, rules(2, 60, 100, 60, 0), null, 10, 500, 20, "ScaleUpLimit"),
                row("scaleUp with spec MaxReplicas limitation with large pod policy", none, none, 1, 1000, rules(100, 60, 0, 0, 0), null, 10, 50, 50, "DesiredWithinRange"),
                row("scaleUp with spec MaxReplicas limitation with large percent policy", none, none, 1, 1000, rules(10000, 60, 0, 0, 0), null, 10, 50, 50, "DesiredWithinRange"),
                row("scaleUp with pod policy limitation", none, none, 1, 1000, rules(30, 60, 0, 0, 0), null, 10, 50, 40, "ScaleUpLimit"),
                row("scaleUp with percent policy limitation", none, none, 1, 1000, rules(0, 0, 200, 60, 0), null, 10, 50, 30, "ScaleUpLimit"),
                row("scaleDown with percent policy larger than pod policy", none, none, 1, 1000, null, rules(20, 60, 1, 60, 300), 100, 2, 80, "ScaleDownLimit"),
                row("scaleDown with pod policy larger than percent policy", none, none, 1, 1000, null, rules(2, 60, 1, 60, 300), 100, 2, 98, "ScaleDownLimit"),
                row("scaleDown with spec MinReplicas=nil limitation with large pod policy", none, none, 1, 1000, null, rules(100, 60, 0, 0, 300), 10, 0, 1, "TooFewReplicas"),
                row("scaleDown with spec MinReplicas limitation with large percent policy", none, none, 5, 1000, null, rules(0, 0, 100, 60, 300), 10, 2, 5, "TooFewReplicas"),
                row("scaleDown with pod policy limitation", none, none, 1, 1000, null, rules(5, 60, 0, 0, 300), 10, 2, 5, "ScaleDownLimit"),
                row("scaleDown with percent policy limitation", none, none, 1, 1000, null, rules(0, 0, 50, 60, 300), 10, 5, 5, "DesiredWithinRange"),
                row("scaleUp with spec MaxReplicas limitation with large pod policy and events", events(120, 1, 5, 9), none, 1, 200, rules(300, 60, 0, 0, 0), null, 100, 500, 200, "TooManyReplicas"),
                row("scaleUp with spec MaxReplicas limitation with large percent policy and events", events(120, 1, 5, 9), none, 1, 200, rules(0, 0, 10000, 60, 0), null, 100, 500, 200, "TooManyReplicas"),
                row("scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events", events(120, 1, 5, 9), none, 1, 1000, rules(5, 120, 0, 0, 0), null, 100, 500, 100, "ScaleUpLimit"),
                row("scaleUp with pod policy and previous scale up events", events(120, 1, 5, 9), none, 1, 1000, rules(150, 120, 0, 0, 0), null, 100, 500, 235, "ScaleUpLimit"),
                row("scaleUp with percent policy and previous scale up events", events(120, 1, 5, 9), none, 1, 1000, rules(0, 0, 200, 120, 0), null, 100, 500, 255, "ScaleUpLimit"),
                row("scaleUp with percent policy and previous scale up and down events", events(120, 4), events(120, 2), 1, 1000, rules(0, 0, 300, 300, 0), null, 6, 24, 16, "ScaleUpLimit"),
                row("scaleDown with default policy and previous events", none, events(120, 1, 5, 9), 1, 1000, null, null, 10, 5, 5, "DesiredWithinRange"),
                row("scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events", none, events(120, 1, 5, 9), 1, 1000, null, rules(115, 120, 0, 0, 300), 100, 0, 1, "TooFewReplicas"),
                row("scaleDown with spec MinReplicas limitation with large pod policy and previous events", none, events(120, 1, 5, 9), 5, 1000, null, rules(130, 120, 0, 0, 300), 100, 0, 5, "TooFewReplicas"),
                row("scaleDown with spec MinReplicas limitation with large percent policy and previous events", none, events(120, 1, 5, 9), 5, 1000, null, rules(0, 0, 100, 120, 300), 100, 2, 5, "TooFewReplicas"),
                row("scaleDown with pod policy limitation and previous events", none, events(120, 1, 5, 9), 1, 1000, null, rules(5, 120, 0, 0, 300), 100, 2, 100, "ScaleDownLimit"),
                row("scaleDown with percent policy limitation and previous events", none, events(120, 2, 4, 6), 1, 1000, null, rules(0, 0, 50, 120, 300), 100, 0, 56, "ScaleDownLimit"),
                row("scaleDown with percent policy and previous scale up and down events", events(120, 2), events(120, 4), 1, 1000, null, rules(0, 0, 50, 180, 0), 10, 1, 6, "ScaleDownLimit"),
                row("scaleDown with previous events preventing further scale down", none, events(120, 10, 10, 10), 1, 1000, null, rules(0, 0, 10, 120, 300), 100, 0, 100, "ScaleDownLimit"),
                row("scaleDown with with previous events still allowing more scale down", none, events(120, 10, 10, 10), 1, 1000, null, rules(0, 0, 1000, 120, 300), 10, 5, 5, "DesiredWithinRange"),
                row("check 'outdated' flag for events for one behavior for up", events(120, 8, 12, 9, 11), none, 1, 1000, rules(1000, 60, 0, 0, 0), null, 100, 200, 200, "DesiredWithinRange"),
                row("check that events were not marked 'outdated' for two different policies in the behavior for up", events(120, 8, 12, 9, 11), none, 1, 1000, rules(1000, 120, 100, 60, 0), null, 100, 200, 200, "DesiredWithinRange"),
                row("check that events were marked 'outdated' for two different policies in the behavior for up", events(120, 8, 12, 9, 11), none, 1, 1000, rules(1000, 30, 100, 60, 0), null, 100, 200, 200, "DesiredWithinRange"),
                row("check 'outdated' flag for events for one behavior for down", none, events(120, 8, 12, 9, 11), 1, 1000, null, rules(1000, 60, 0, 0, 300), 100, 5, 5, "DesiredWithinRange"),
                // Not upstream: selectPolicy Min and Disabled, from calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors.
                row("selectPolicy Min takes the smaller of pods 4 and percent 100 (not upstream)", none, none, 1, 1000,
                        new HpaScalingRules(0, SelectPolicy.MIN, List.of(new HpaScalingPolicy(Type.PODS, 4, 15), new HpaScalingPolicy(Type.PERCENT, 100, 15))), null, 10, 50, 14, "ScaleUpLimit"),
                row("selectPolicy Disabled never scales up (not upstream)", none, none, 1, 1000,
                        new HpaScalingRules(0, SelectPolicy.DISABLED, null), null, 10, 50, 10, "ScaleUpLimit"),
                row("selectPolicy Disabled never scales down (not upstream)", none, none, 1, 1000,
                        null, new HpaScalingRules(300, SelectPolicy.DISABLED, null), 10, 2, 10, "ScaleDownLimit"),
                row("selectPolicy Min on scale-down takes the smaller change: pods 5, not 50 % (not upstream)", none, none,
                        1, 1000, null, new HpaScalingRules(300, SelectPolicy.MIN, List.of(new HpaScalingPolicy(Type.PODS, 5, 60),
                                new HpaScalingPolicy(Type.PERCENT, 50, 60))), 100, 2, 95, "ScaleDownLimit"),
                // Not upstream: each edge of convertDesiredReplicasWithBehaviorRate's comparisons.
                row("maxReplicas equal to the scale-up limit: the max is the reason (not upstream)", none, none, 1, 20,
                        null, null, 10, 50, 20, "TooManyReplicas"),
                row("desired equal to the scale-up limit is within range (not upstream)", none, none, 1, 1000,
                        null, null, 10, 20, 20, "DesiredWithinRange"),
                row("minReplicas equal to the scale-down limit: the min is the reason (not upstream)", none, none, 5, 1000,
                        null, rules(5, 60, 0, 0, 300), 10, 2, 5, "TooFewReplicas"),
                row("desired equal to the scale-down limit is within range (not upstream)", none, none, 1, 1000,
                        null, rules(5, 60, 0, 0, 300), 10, 5, 5, "DesiredWithinRange"),
                row("no change above maxReplicas is left to the caller (not upstream)", none, none, 1, 5,
                        null, null, 10, 10, 10, "DesiredWithinRange"),
                row("no change below minReplicas is left to the caller (not upstream)", none, none, 5, 1000,
                        null, null, 3, 3, 3, "DesiredWithinRange"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalingWithRules")
    void convertDesiredReplicasWithBehaviorRate(BehaviorRow row) {
        Limited got = HpaRateLimits.withBehaviorRate(row.current(), row.prenormalized(), row.min(), row.max(),
                HpaDefaults.scaleUp(row.up()), HpaDefaults.scaleDown(row.down()), row.upEvents(), row.downEvents(), NOW);
        assertEquals(row.expectedReplicas(), got.replicas(), "replicas");
        assertEquals(row.expectedCondition(), got.condition(), "condition");
    }

    record RulesRow(String name, int current, int desired, int min, int max, int expectedReplicas,
                    String expectedCondition) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The nil-behavior path, {@code convertDesiredReplicasWithRules}. Upstream tests raise scaleUpLimitFactor to 8
     * in init(), so these rows are computed from the function with the production factor 2 and minimum 4.
     */
    static Stream<RulesRow> withRules() {
        return Stream.of(
                new RulesRow("within range", 5, 7, 3, 100, 7, "DesiredWithinRange"),
                new RulesRow("below min is raised to min", 3, 1, 2, 8, 2, "TooFewReplicas"),
                new RulesRow("from 1 the scale-up limit is the minimum 4", 1, 50, 1, 100, 4, "ScaleUpLimit"),
                new RulesRow("from 10 the scale-up limit is 2 x 10", 10, 50, 1, 100, 20, "ScaleUpLimit"),
                new RulesRow("max below the scale-up limit caps at max", 10, 50, 1, 15, 15, "TooManyReplicas"),
                new RulesRow("scale down is not rate limited", 100, 1, 1, 1000, 1, "DesiredWithinRange"),
                new RulesRow("max equal to the scale-up limit: the max is the reason", 10, 50, 1, 20, 20, "TooManyReplicas"),
                new RulesRow("desired equal to the scale-up limit is within range", 10, 20, 1, 100, 20, "DesiredWithinRange"),
                new RulesRow("desired equal to min is within range", 5, 3, 3, 100, 3, "DesiredWithinRange"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withRules")
    void convertDesiredReplicasWithRules(RulesRow row) {
        Limited got = HpaRateLimits.withRules(row.current(), row.desired(), row.min(), row.max());
        assertEquals(row.expectedReplicas(), got.replicas(), "replicas");
        assertEquals(row.expectedCondition(), got.condition(), "condition");
    }

    record StoreRow(String name, List<ScaleEvent> previous, HpaScalingRules rules, int expectedChangeBefore,
                    List<Integer> expectedChanges, List<Boolean> expectedOutdated) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ScaleEvent ago(int change, int seconds) {
        return new ScaleEvent(change, NOW.minusSeconds(seconds), false);
    }

    /** horizontal_test.go TestStoreScaleEvents (the rows with a behavior), storing a change of 5. */
    static Stream<StoreRow> storeScaleEvents() {
        return Stream.of(
                new StoreRow("TestStoreScaleEvents: empty entries with two-policy-behavior", List.of(),
                        rules(10, 60, 100, 60, 0), 0, List.of(5), List.of(false)),
                new StoreRow("TestStoreScaleEvents: one outdated entry to be replaced with behavior", List.of(ago(7, 61)),
                        rules(10, 60, 100, 60, 0), 0, List.of(5), List.of(false)),
                new StoreRow("TestStoreScaleEvents: one actual entry to be not touched with behavior", List.of(ago(7, 58)),
                        rules(10, 60, 100, 60, 0), 7, List.of(7, 5), List.of(false, false)),
                new StoreRow("TestStoreScaleEvents: two entries, one of them to be replaced", List.of(ago(7, 61), ago(6, 59)),
                        rules(10, 60, 0, 0, 0), 6, List.of(5, 6), List.of(false, false)),
                new StoreRow("TestStoreScaleEvents: replace one entry, use policies with different periods",
                        List.of(ago(8, 29), ago(6, 59), ago(7, 61), ago(9, 61)),
                        rules(10, 60, 100, 30, 0), 14, List.of(8, 6, 7, 5), List.of(false, false, true, false)),
                new StoreRow("TestStoreScaleEvents: two entries, both actual", List.of(ago(7, 58), ago(6, 59)),
                        rules(10, 120, 100, 30, 0), 13, List.of(7, 6, 5), List.of(false, false, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storeScaleEvents")
    void storeScaleEvent(StoreRow row) {
        assertEquals(row.expectedChangeBefore(), HpaRateLimits.changeInPeriod(60, row.previous(), NOW), "change in the last 60 s");
        List<ScaleEvent> stored = HpaRateLimits.store(row.previous(), 5, row.rules(), NOW);
        assertEquals(row.expectedChanges(), stored.stream().map(ScaleEvent::replicaChange).toList(), "changes");
        assertEquals(row.expectedOutdated(), stored.stream().map(ScaleEvent::outdated).toList(), "outdated flags");
    }
}
