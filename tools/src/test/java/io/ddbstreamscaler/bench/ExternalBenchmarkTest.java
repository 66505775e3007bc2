package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The external benchmark's arithmetic and verdicts, on made-up measurements (no timing is measured here). */
class ExternalBenchmarkTest {

    static Stream<Arguments> percentileRows() {
        return Stream.of(
                // name, sorted ns, p, expected ms (nearest rank)
                Arguments.of("p50 of 1..100 ms", ms(100), 0.50, 50.0),
                Arguments.of("p99 of 1..100 ms", ms(100), 0.99, 99.0),
                Arguments.of("p99 of one", new long[] {7_000_000}, 0.99, 7.0),
                Arguments.of("nothing answered", new long[0], 0.5, Double.NaN));
    }

    static long[] ms(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i + 1) * 1_000_000L;
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("percentileRows")
    void percentiles(String name, long[] sorted, double p, double expected) {
        assertEquals(expected, ExternalBenchmark.percentileMs(sorted, p), 1e-9);
    }

    static LoggedRequest describeStream(String stream, double atSeconds) {
        return new LoggedRequest(Instant.EPOCH.plusMillis((long) (atSeconds * 1000)), "DescribeStream", stream, null,
                100, "AKID", "us-east-1", false, 1, 200, null);
    }

    static Stream<Arguments> roundRows() {
        return Stream.of(
                // name, DescribeStream log, rounds per table per interval (10 tables, 6 intervals), shortest gap s, verdict
                Arguments.of("one round per table per interval", Stream.iterate(0, i -> i + 1).limit(60)
                        .map(i -> describeStream("t" + (i % 10), (i / 10) * 5.0 + 0.01 * (i % 10))).toList(),
                        1.0, 5.0, Figure.Verdict.MET),
                Arguments.of("a table counted twice in an interval", List.of(describeStream("t0", 0),
                        describeStream("t0", 2.5), describeStream("t1", 0)), 0.05, 2.5, Figure.Verdict.MISSED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundRows")
    void roundsAndTheirVerdict(String name, List<LoggedRequest> log, double rounds, double gap, Figure.Verdict verdict) {
        var r = ExternalBenchmark.result(new long[] {1_000_000}, 1, 0, log, 50, 20, 20, 20, 90, 120);
        Figure gapFigure = ExternalBenchmark.figures(r).stream().filter(f -> f.what().contains("shortest gap"))
                .findFirst().orElseThrow();
        assertEquals(rounds, r.roundsPerTablePerInterval(), 1e-9);
        assertEquals(gap, r.shortestGapSeconds(), 1e-9);
        assertEquals(verdict, gapFigure.verdict());
    }

    @Test
    void aFailedRequestMissesTheAnsweredTarget() {
        var r = ExternalBenchmark.result(new long[] {1_000_000, 0}, 1, 1, List.of(), 50, 20, 20, 20, 90, 120);
        assertEquals(Figure.Verdict.MISSED, ExternalBenchmark.figures(r).get(0).verdict());
    }

    static Stream<Arguments> threadRows() {
        return Stream.of(
                Arguments.of("main", ThreadCpu.CLIENT),
                Arguments.of("bench-client-loop-1", ThreadCpu.CLIENT),
                Arguments.of("aws-sim-http", ThreadCpu.SIMULATOR),
                Arguments.of("HTTP-Dispatcher", ThreadCpu.SIMULATOR),
                Arguments.of("grpc-probe-1", ThreadCpu.SERVER),
                Arguments.of("grpc-default-worker-ELG-1-2", ThreadCpu.SERVER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadRows")
    void threadsAreCountedForWhoTheyWorkFor(String thread, String category) {
        assertEquals(category, ThreadCpu.category(thread));
    }
}
