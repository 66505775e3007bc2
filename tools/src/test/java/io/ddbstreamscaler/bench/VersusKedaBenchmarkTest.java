package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.bench.keda.ReplicaRecorder.Point;
import io.ddbstreamscaler.bench.keda.TwinCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reaction figure: from a change to the twin's next count, whatever happened before the change. */
class VersusKedaBenchmarkTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Point at(double seconds, int replicas) {
        return new Point(T0.plusMillis((long) (seconds * 1000)), replicas);
    }

    static Stream<Arguments> reactions() {
        // row, the twin's counts, when the change came (s), seconds to its next count (null: none)
        return Stream.of(
                Arguments.of("one move after the change", List.of(at(0, 1), at(14.5, 2)), 10.0, 4.5),
                Arguments.of("moves before the change do not count", List.of(at(0, 1), at(3, 2), at(20, 3)), 10.0, 10.0),
                Arguments.of("no move: a hold", List.of(at(0, 1), at(3, 2)), 10.0, null),
                Arguments.of("the first of several moves", List.of(at(0, 1), at(12, 2), at(27, 3)), 10.0, 2.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reactions")
    void firstChangeAfterTheChange(String row, List<Point> points, double changeAt, Double expected) {
        assertEquals(expected, VersusKedaBenchmark.firstChangeAfter(points, T0.plusMillis((long) (changeAt * 1000))));
    }

    static Stream<Arguments> intervals() {
        return Stream.of(Arguments.of("spec-iam-users", 30), Arguments.of("scale-up-behavior", 5));
    }

    @ParameterizedTest(name = "{0}: {1} s")
    @MethodSource("intervals")
    void pollingIntervalOfACaseIsKedasDefaultUnlessItSetsOne(String name, int seconds) {
        assertEquals(seconds, VersusKedaBenchmark.pollingInterval(TwinCases.named(name)));
    }
}
