package io.ddbstreamscaler.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.ddbstreamscaler.policy.ReplicaPolicyTest.NOW;
import static io.ddbstreamscaler.policy.ReplicaPolicyTest.T;
import static io.ddbstreamscaler.policy.ReplicaPolicyTest.activeAgo;
import static io.ddbstreamscaler.policy.ReplicaPolicyTest.avg;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The decision line's human message states what the metric asks before the HPA's tolerance, and the ratio the
 * tolerance is applied to: "asks 6; within the 0.1 tolerance; keeping 6" for ceil(13/2) = 7 read like a rounding bug.
 */
class DecisionMessageTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("AverageValue within the tolerance: the raw ask, the ratio, the count kept",
                        avg(13, 2), 6, T + " 13 shards at target 2 (AverageValue) asks 7 (13/2); 13/(2 x 6) = 1.08 is"
                                + " within the 0.1 tolerance: keeping 6"),
                Arguments.of("AverageValue below 1 within the tolerance",
                        avg(19, 2), 10, T + " 19 shards at target 2 (AverageValue) asks 10 (19/2); 19/(2 x 10) = 0.95 is"
                                + " within the 0.1 tolerance: keeping 10"),
                Arguments.of("AverageValue outside the tolerance: the ask is the proposal",
                        avg(7, 2), 2, T + " 7 shards at target 2 (AverageValue) asks 4 (7/2); 2 -> 4"),
                Arguments.of("Value within the tolerance: the ask scales the current count",
                        TriggerReading.of(T, MetricType.VALUE, 10, 0, 10.5), 3, T + " 10.5 shards at target 10 (Value)"
                                + " asks 4 (10.5/10 x 3); 10.5/10 = 1.05 is within the 0.1 tolerance: keeping 3"),
                Arguments.of("Value outside the tolerance",
                        TriggerReading.of(T, MetricType.VALUE, 2, 0, 4), 3, T + " 4 shards at target 2 (Value) asks 6"
                                + " (4/2 x 3); 3 -> 6"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void statesTheRawAskAndTheTolerance(String row, TriggerReading reading, int current, String expected) {
        ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(List.of(reading), current,
                ScalingSettings.kedaDefaults(), activeAgo(30), NOW, false));

        assertEquals(expected, d.message());
    }
}
