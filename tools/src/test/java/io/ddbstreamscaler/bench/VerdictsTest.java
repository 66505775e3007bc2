package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each scenario judges its figures by its targets (bench/RESULTS.md); a run that did not measure never passes. */
class VerdictsTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream());

    static ReactionTimes.Reaction reaction(long writtenMs) {
        return new ReactionTimes.Reaction(T0, Optional.of(T0.plusMillis(Math.max(0, writtenMs - 50))),
                writtenMs < 0 ? Optional.empty() : Optional.of(T0.plusMillis(writtenMs)));
    }

    static Stream<Arguments> reactions() {
        return Stream.of(
                // name, split -> write per split in ms (-1: none), verdict of the first figure
                Arguments.of("all within interval + 1 s", List.of(300L, 4500L, 5900L), Figure.Verdict.MET),
                Arguments.of("one over 6 s", List.of(300L, 6100L), Figure.Verdict.MISSED),
                Arguments.of("one split never written", List.of(300L, -1L), Figure.Verdict.MISSED),
                Arguments.of("nothing written", List.of(-1L), Figure.Verdict.MISSED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reactions")
    void reaction(String name, List<Long> writtenMs, Figure.Verdict verdict) {
        List<ReactionTimes.Reaction> r = writtenMs.stream().map(VerdictsTest::reaction).toList();
        assertEquals(verdict, ReactionBenchmark.report(r, SINK).get(0).verdict());
    }

    static LoggedRequest describe(long second, String table, String error) {
        return new LoggedRequest(T0.plusSeconds(second), "DescribeStream",
                "arn:aws:dynamodb:us-east-1:123456789012:table/" + table + "/stream/x", null, 100, "AKIA", "us-east-1",
                false, 1, error == null ? 200 : 400, error);
    }

    static final ScaleBenchmark.Fleet OVER_BUDGET = new ScaleBenchmark.Fleet("over", 2, 1, 1, "-Xmx256m", true);

    static Stream<Arguments> scale() {
        return Stream.of(
                // name, fleet, log, threads, warned, verdicts in order
                Arguments.of("over budget: none throttled, warned", OVER_BUDGET,
                        List.of(describe(100, "t1", null), describe(110, "t2", null)), 50, true,
                        List.of(Figure.Verdict.MET, Figure.Verdict.MET, Figure.Verdict.MET)),
                Arguments.of("over budget: throttled once, no warning", OVER_BUDGET,
                        List.of(describe(100, "t1", null), describe(111, "t2", "LimitExceededException")), 50, false,
                        List.of(Figure.Verdict.MET, Figure.Verdict.MISSED, Figure.Verdict.MISSED)),
                Arguments.of("within budget: too many threads", OVER_BUDGET,
                        List.of(describe(10, "t1", null), describe(11, "t2", null)), 2228, true,
                        List.of(Figure.Verdict.MISSED, Figure.Verdict.MET, Figure.Verdict.MET)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scale")
    void scale(String name, ScaleBenchmark.Fleet fleet, List<LoggedRequest> log, int threads, boolean warned,
               List<Figure.Verdict> verdicts) {
        AgentSample last = new AgentSample(Duration.ofSeconds(120), new ProcStatus(100_000, threads, 1000), Optional.empty());

        List<Figure> figures = ScaleBenchmark.figures(fleet, AwsLogReadings.of(log), AwsLogReadings.firstReads(log),
                List.of("t1", "t2"), T0, Optional.empty(), T0.plusSeconds(120), last, List.of(last), Optional.empty(), warned);

        List<Figure.Verdict> judged = new ArrayList<>();
        figures.stream().filter(f -> f.verdict() != Figure.Verdict.INFO).forEach(f -> judged.add(f.verdict()));
        assertEquals(verdicts, judged);
    }

    @Test
    void tenThousandMustAllPollWithinThirtySeconds() {
        AgentSample last = new AgentSample(Duration.ofSeconds(120), new ProcStatus(100_000, 40, 1000), Optional.empty());
        var late = List.of(describe(10, "t1", null), describe(45, "t2", null));
        var verdicts = ScaleBenchmark.figures(new ScaleBenchmark.Fleet("10k", 10_000, 5, 10, "-Xmx512m", false),
                AwsLogReadings.of(late), AwsLogReadings.firstReads(late), List.of("t1", "t2"), T0, Optional.empty(),
                T0.plusSeconds(120), last, List.of(last), Optional.empty(), false).stream()
                .filter(f -> f.what().contains("polled once")).map(Figure::verdict).toList();
        assertEquals(List.of(Figure.Verdict.MISSED), verdicts);
    }
}
