package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AwsLogReadingsTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final List<String> TABLES = List.of("table-0001", "table-0002");

    static LoggedRequest describe(long second, String table, String error) {
        return new LoggedRequest(T0.plusSeconds(second), "DescribeStream",
                "arn:aws:dynamodb:us-east-1:123456789012:table/" + table + "/stream/2026-01-01T00:00:00.000",
                null, 100, "AKIA", "us-east-1", false, 1, error == null ? 200 : 400, error);
    }

    static LoggedRequest describeTable(long second, String table) {
        return new LoggedRequest(T0.plusSeconds(second), "DescribeTable", table, null, null, "AKIA", "us-east-1",
                false, 1, 200, null);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, log, end (s), throttled, successful describes, never read, oldest age (s)
                Arguments.of("both read, the older one counts", List.of(describe(10, "table-0001", null),
                        describe(50, "table-0002", null), describe(70, "table-0001", null)), 100, 0L, 3L, 0L, 50L),
                Arguments.of("throttled calls are no reading", List.of(describe(10, "table-0001", null),
                        describe(20, "table-0002", null), describe(90, "table-0002", "LimitExceededException")),
                        100, 1L, 2L, 0L, 90L),
                Arguments.of("never read: aged since the start", List.of(describeTable(5, "table-0002"),
                        describe(30, "table-0001", null)), 100, 0L, 1L, 1L, 100L),
                Arguments.of("empty log", List.<LoggedRequest>of(), 60, 0L, 0L, 2L, 60L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readingsFromTheLog(String name, List<LoggedRequest> log, long end, long throttled, long describes,
                            long neverRead, long oldestSeconds) {
        AwsLogReadings r = AwsLogReadings.of(log);

        assertAll(
                () -> assertEquals(throttled, r.throttled()),
                () -> assertEquals(describes, r.describes()),
                () -> assertEquals(neverRead, r.neverRead(TABLES)),
                () -> assertEquals(Duration.ofSeconds(oldestSeconds), r.oldestAge(TABLES, T0, T0.plusSeconds(end))));
    }

    static Stream<Arguments> arns() {
        return Stream.of(
                Arguments.of("a stream ARN", "arn:aws:dynamodb:eu-west-1:1:table/orders/stream/2026-01-01T00:00:00.000", Optional.of("orders")),
                Arguments.of("a table ARN", "arn:aws:dynamodb:eu-west-1:1:table/orders", Optional.empty()),
                Arguments.of("nothing", null, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arns")
    void tableOfAStreamArn(String name, String arn, Optional<String> table) {
        assertEquals(table, AwsLogReadings.tableOf(arn));
    }
}
