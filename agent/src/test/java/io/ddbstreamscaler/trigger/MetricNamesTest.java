package io.ddbstreamscaler.trigger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** KEDA's metric names: {@code kedacore/keda: aws_dynamodb_streams_scaler_test.go} (awsDynamoDBStreamMetricIdentifiers). */
class MetricNamesTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("KEDA: index 0", 0, "smalltable", "s0-aws-dynamodb-streams-smalltable"),
                Arguments.of("KEDA: index 1", 1, "smalltable", "s1-aws-dynamodb-streams-smalltable"),
                Arguments.of("dots and underscores", 2, "orders.v2_table", "s2-aws-dynamodb-streams-orders-v2_table"),
                Arguments.of("every normalised character", 0, "a/b.c:d%e(f)g", "s0-aws-dynamodb-streams-a-b-c-d-e-f-g"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void buildsKedaMetricName(String row, int index, String table, String expected) {
        assertEquals(expected, MetricNames.of(index, table));
    }
}
