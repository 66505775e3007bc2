package io.ddbstreamscaler.election;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The two election periods: a lease of at least 1 s, and at least three passes within it. */
class ElectionTimingTest {

    static Stream<Arguments> timings() {
        return Stream.of(
                // name, lease, pass period, the error (null: accepted)
                Arguments.of("the shipped 15 s and 2 s", Duration.ofSeconds(15), Duration.ofSeconds(2), null),
                Arguments.of("exactly three passes a lease", Duration.ofSeconds(15), Duration.ofSeconds(5), null),
                Arguments.of("a little under three passes a lease", Duration.ofSeconds(15), Duration.ofMillis(5001),
                        "a Lease pass every 5001 ms is too slow for a 15000 ms lease: it must pass at least 3 times "
                                + "within a lease duration"),
                Arguments.of("a lease of exactly 1 s", Duration.ofSeconds(1), Duration.ofMillis(200), null),
                Arguments.of("a lease under 1 s", Duration.ofMillis(999), Duration.ofMillis(200),
                        "the lease duration must be at least 1 s, got PT0.999S"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timings")
    void aLeaseOfASecondOrMoreWithThreePassesWithinIt(String name, Duration lease, Duration pass, String error) {
        if (error == null) {
            assertEquals(pass, new ElectionTiming(lease, pass).passPeriod());
        } else {
            assertEquals(error, assertThrows(IllegalArgumentException.class, () -> new ElectionTiming(lease, pass))
                    .getMessage());
        }
    }

    @Test
    void thePassPeriodIsTwoFifteenthsOfTheLease() {
        assertEquals(new ElectionTiming(Duration.ofSeconds(15), Duration.ofSeconds(2)), ElectionTiming.DEFAULT);
        assertEquals(new ElectionTiming(Duration.ofSeconds(30), Duration.ofSeconds(4)),
                ElectionTiming.forLease(Duration.ofSeconds(30)));
        assertEquals(Duration.ofNanos(133_333_333), ElectionTiming.forLease(Duration.ofSeconds(1)).passPeriod());
    }
}
