package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReactionTimesTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, split, describes, writes, expected detection ms, expected total ms (-1: none)
                Arguments.of("next poll sees it, write follows", 1000, List.of(0L, 5000L, 10000L), List.of(5050L), 4000L, 4050L),
                Arguments.of("an earlier poll and write do not count", 6000, List.of(5000L, 10000L), List.of(5050L, 10040L), 4000L, 4040L),
                Arguments.of("a describe at the very instant counts", 5000, List.of(5000L), List.of(5030L), 0L, 30L),
                Arguments.of("unsorted logs", 1000, List.of(10000L, 5000L), List.of(10050L, 5060L), 4000L, 4060L),
                Arguments.of("no write after the split", 7000, List.of(10000L), List.of(5000L), 3000L, -1L),
                Arguments.of("nothing after the split", 7000, List.of(5000L), List.<Long>of(), -1L, -1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void pairsEachSplitWithTheFirstPollAndWriteAfterIt(String name, long split, List<Long> describes, List<Long> writes,
                                                      long detectionMs, long totalMs) {
        ReactionTimes.Reaction r = ReactionTimes.match(List.of(at(split)),
                describes.stream().map(ReactionTimesTest::at).toList(), writes.stream().map(ReactionTimesTest::at).toList()).get(0);

        assertEquals(detectionMs < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(detectionMs)), r.detection());
        assertEquals(totalMs < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(totalMs)), r.total());
    }
}
