package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.HpaStabilization.Stabilized;
import io.ddbstreamscaler.policy.PolicyHistory.Recommendation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stabilization, ported from {@code kubernetes/kubernetes: pkg/controller/podautoscaler/horizontal_test.go}. */
class HpaStabilizationTest {

    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    static Recommendation rec(int replicas, int minutesAgo) {
        return new Recommendation(replicas, NOW.minusSeconds(60L * minutesAgo));
    }

    record NilRow(String name, List<Recommendation> recs, int prenormalized, int expectedStabilized, int expectedLogLength) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** TestNormalizeDesiredReplicas: stabilizeRecommendation with a 5-minute window. */
    static Stream<NilRow> normalizeDesiredReplicas() {
        return Stream.of(
                new NilRow("TestNormalizeDesiredReplicas: empty log", List.of(), 5, 5, 1),
                new NilRow("TestNormalizeDesiredReplicas: stabilize", List.of(rec(4, 2), rec(5, 1)), 3, 5, 3),
                new NilRow("TestNormalizeDesiredReplicas: no stabilize", List.of(rec(1, 2), rec(2, 1)), 3, 3, 3),
                new NilRow("TestNormalizeDesiredReplicas: no stabilize - old recommendations", List.of(rec(10, 10), rec(9, 9)), 3, 3, 2),
                new NilRow("TestNormalizeDesiredReplicas: stabilize - old recommendations",
                        List.of(rec(10, 10), rec(4, 1), rec(5, 2), rec(9, 9)), 3, 5, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalizeDesiredReplicas")
    void stabilizeRecommendation(NilRow row) {
        Stabilized got = HpaStabilization.withoutBehavior(row.recs(), row.prenormalized(), NOW);
        assertEquals(row.expectedStabilized(), got.replicas(), "stabilized");
        assertEquals(row.expectedLogLength(), got.recommendations().size(), "recommendations kept");
    }

    record BehaviorRow(String name, List<Recommendation> recs, int current, int prenormalized, int expectedStabilized,
                       List<Integer> expectedRecommendations, int upWindow, int downWindow) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Integer> ints(Integer... values) {
        return Arrays.asList(values);
    }

    /** TestNormalizeDesiredReplicasWithBehavior: stabilizeRecommendationWithBehaviors (unset windows are 0 there). */
    static Stream<BehaviorRow> normalizeWithBehavior() {
        String t = "TestNormalizeDesiredReplicasWithBehavior: ";
        return Stream.of(
                new BehaviorRow(t + "empty recommendations for scaling down", List.of(), 100, 5, 5, ints(5), 0, 0),
                new BehaviorRow(t + "simple scale down stabilization", List.of(rec(4, 2), rec(5, 1)), 100, 3, 5, ints(4, 5, 3), 0, 180),
                new BehaviorRow(t + "simple scale up stabilization", List.of(rec(4, 2), rec(5, 1)), 1, 7, 4, ints(4, 5, 7), 300, 0),
                new BehaviorRow(t + "no scale down stabilization", List.of(rec(1, 2), rec(2, 1)), 100, 3, 3, ints(1, 2, 3), 300, 0),
                new BehaviorRow(t + "no scale up stabilization", List.of(rec(4, 2), rec(5, 1)), 1, 3, 3, ints(4, 5, 3), 0, 300),
                new BehaviorRow(t + "no scale down stabilization, reuse recommendation element", List.of(rec(10, 10), rec(9, 9)), 100, 3, 3, ints(10, 3), 0, 0),
                new BehaviorRow(t + "no scale up stabilization, reuse recommendation element", List.of(rec(10, 10), rec(9, 9)), 1, 100, 100, ints(10, 100), 0, 0),
                new BehaviorRow(t + "scale down stabilization, reuse one of obsolete recommendation element",
                        List.of(rec(10, 10), rec(4, 1), rec(5, 2), rec(9, 9)), 100, 3, 5, ints(10, 4, 5, 3), 0, 180),
                new BehaviorRow(t + "scale up stabilization, reuse one of obsolete recommendation element",
                        List.of(rec(10, 100), rec(6, 1), rec(5, 2), rec(9, 3)), 1, 100, 5, ints(100, 6, 5, 9), 300, 0),
                new BehaviorRow(t + "scale up and down stabilization, do not scale up when prenormalized rec goes down",
                        List.of(rec(2, 100), rec(3, 3)), 2, 1, 2, null, 300, 300),
                new BehaviorRow(t + "scale up and down stabilization, do not scale down when prenormalized rec goes up",
                        List.of(rec(2, 100), rec(1, 3)), 2, 3, 2, null, 300, 300));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalizeWithBehavior")
    void stabilizeRecommendationWithBehaviors(BehaviorRow row) {
        Stabilized got = HpaStabilization.withBehavior(row.recs(), row.current(), row.prenormalized(),
                row.upWindow(), row.downWindow(), NOW);
        assertEquals(row.expectedStabilized(), got.replicas(), "stabilized");
        if (row.expectedRecommendations() != null) {
            assertEquals(row.expectedRecommendations(), got.recommendations().stream().map(Recommendation::replicas).toList(),
                    "stored recommendations");
        }
    }
}
