package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.ExternalMetricReplicas.Proposal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * External-metric proposals from {@code kubernetes/kubernetes: pkg/controller/podautoscaler/replica_calculator.go}
 * ({@code GetExternalPerPodMetricReplicas}, {@code GetExternalMetricReplicas}, {@code getUsageRatioReplicaCount}).
 */
class ExternalMetricReplicasTest {

    record Row(String name, MetricType type, double value, long target, int current, int expectedReplicas,
               boolean expectedWithinTolerance) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("AverageValue: ceil(7 / 2) = 4", MetricType.AVERAGE_VALUE, 7, 2, 2, 4, false),
                new Row("AverageValue: from 0 replicas the ratio is infinite, ceil(value / target)", MetricType.AVERAGE_VALUE, 3, 2, 0, 2, false),
                new Row("AverageValue: 0 shards at 0 replicas is NaN, kept at 0 as in Go", MetricType.AVERAGE_VALUE, 0, 2, 0, 0, true),
                new Row("AverageValue: ratio 1.05 is within tolerance", MetricType.AVERAGE_VALUE, 21, 2, 10, 10, true),
                new Row("AverageValue: ratio 0.9 is on the tolerance edge, kept", MetricType.AVERAGE_VALUE, 18, 2, 10, 10, true),
                new Row("AverageValue: ratio 0.85 is outside, ceil(17 / 2) = 9", MetricType.AVERAGE_VALUE, 17, 2, 10, 9, false),
                new Row("AverageValue: 0 shards ask 0", MetricType.AVERAGE_VALUE, 0, 2, 3, 0, false),
                new Row("Value: ceil(current x value / target) = ceil(3 x 10 / 4) = 8", MetricType.VALUE, 10, 4, 3, 8, false),
                new Row("Value: ratio 1.0 is within tolerance", MetricType.VALUE, 4, 4, 3, 3, true),
                new Row("Value: from 0 replicas ceil(ratio) = ceil(10 / 4) = 3", MetricType.VALUE, 10, 4, 0, 3, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void proposal(Row row) {
        Proposal got = ExternalMetricReplicas.proposal(row.type(), row.value(), row.target(), row.current());
        assertEquals(row.expectedReplicas(), got.replicas(), "replicas");
        assertEquals(row.expectedWithinTolerance(), got.withinTolerance(), "within tolerance");
    }
}
