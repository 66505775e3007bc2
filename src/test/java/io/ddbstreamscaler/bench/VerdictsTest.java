package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.aws.LoggedRequest;
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

/** Each scenario judges its figures by issue 7's targets; a run that did not measure never passes. */
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

    static Stream<Arguments> scale() {
        return Stream.of(
                // name, log, run seconds, throttling verdict, reading-age verdict
                Arguments.of("all fresh, none throttled", List.of(describe(100, "t1", null), describe(110, "t2", null)),
                        120, Figure.Verdict.MET, Figure.Verdict.MET),
                Arguments.of("one stale reading", List.of(describe(10, "t1", null), describe(110, "t2", null)),
                        120, Figure.Verdict.MET, Figure.Verdict.MISSED),
                Arguments.of("a short run with a table never read", List.of(describe(30, "t1", null)),
                        40, Figure.Verdict.MET, Figure.Verdict.MISSED),
                Arguments.of("throttled once", List.of(describe(100, "t1", null), describe(110, "t2", null),
                        describe(111, "t2", "LimitExceededException")), 120, Figure.Verdict.MISSED, Figure.Verdict.MET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scale")
    void scale(String name, List<LoggedRequest> log, long runSeconds, Figure.Verdict throttling, Figure.Verdict age) {
        AgentSample last = new AgentSample(Duration.ofSeconds(runSeconds), new ProcStatus(100_000, 50, 1000), Optional.empty());

        List<Figure> figures = ScaleBenchmark.figures(2, AwsLogReadings.of(log), List.of("t1", "t2"), T0,
                T0.plusSeconds(runSeconds), last, List.of(last), Optional.empty());

        List<Figure.Verdict> judged = new ArrayList<>();
        figures.stream().filter(f -> f.verdict() != Figure.Verdict.INFO).forEach(f -> judged.add(f.verdict()));
        assertEquals(List.of(throttling, age), judged);
    }
}
