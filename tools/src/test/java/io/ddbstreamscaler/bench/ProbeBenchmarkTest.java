package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeBenchmarkTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, shards, AWS calls per steady-state poll, least seconds at the default 8/s budget (burst 4)
                Arguments.of("one page", 10, 1, 0.0),
                Arguments.of("three pages", 250, 3, 0.0),
                Arguments.of("six pages", 600, 6, 0.25));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void measuresCallsPerSteadyStatePoll(String name, int shards, int calls, double budgetSeconds) {
        BenchSettings settings = new BenchSettings(2, 1, List.of(shards));

        ProbeBenchmark.Row row = new ProbeBenchmark().measure(settings).get(0);

        assertAll(
                () -> assertEquals(shards, row.shards()),
                () -> assertEquals(calls, row.awsCallsPerPoll(), "DescribeTable is cached after the warm-up"),
                () -> assertEquals(budgetSeconds, row.budgetSecondsPerPoll(), 1e-9),
                () -> assertTrue(row.wallMsPerPoll() > 0 && row.probeCpuMsPerPoll() >= 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void printsOneLinePerSize(String name, int shards, int calls, double budgetSeconds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProbeBenchmark.print(List.of(new ProbeBenchmark.Row(shards, calls, 1.5, 3.25, 2.0, budgetSeconds)),
                new BenchSettings(2, 1, List.of(shards)), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String line = bytes.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.trim().startsWith(shards + " ")).findFirst().orElseThrow();

        assertEquals(List.of(String.valueOf(shards), String.valueOf(calls), "1.50", "3.25", "2.00",
                String.format("%.2f", budgetSeconds)), List.of(line.trim().split("\\s+")));
    }
}
