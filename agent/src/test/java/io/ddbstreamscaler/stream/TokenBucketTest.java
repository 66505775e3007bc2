package io.ddbstreamscaler.stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenBucketTest {

    static Stream<Arguments> reservations() {
        return Stream.of(
                // name, rate/s, burst, idle before, calls at one instant, waits expected (ms)
                Arguments.of("burst passes at once", 8.0, 4, 0, 4, List.of(0L, 0L, 0L, 0L)),
                Arguments.of("past the burst callers queue at the rate", 8.0, 1, 0, 4, List.of(0L, 125L, 250L, 375L)),
                Arguments.of("an idle second refills no more than the burst", 10.0, 2, 1000, 4, List.of(0L, 0L, 100L, 200L)),
                Arguments.of("at 10/s the second call waits 100 ms", 10.0, 1, 0, 2, List.of(0L, 100L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reservations")
    void reservesInOrder(String name, double rate, int burst, long idleMs, int calls, List<Long> waitsMs) {
        ManualClock clock = new ManualClock();
        TokenBucket bucket = new TokenBucket(rate, burst, clock);
        clock.advance(Duration.ofMillis(idleMs));

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            waits.add(bucket.reserve().toMillis());
        }

        assertEquals(waitsMs, waits);
    }

    static Stream<Arguments> tries() {
        return Stream.of(
                // name, rate/s, burst, ms between calls, calls, granted expected
                Arguments.of("within the burst", 5.0, 3, 0, 3, 3),
                Arguments.of("beyond the burst", 5.0, 3, 0, 6, 3),
                Arguments.of("paced at the rate", 5.0, 1, 200, 5, 5),
                Arguments.of("paced faster than the rate", 5.0, 1, 100, 6, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tries")
    void tryAcquireNeverWaits(String name, double rate, int burst, long gapMs, int calls, int granted) {
        ManualClock clock = new ManualClock();
        TokenBucket bucket = new TokenBucket(rate, burst, clock);

        int ok = 0;
        for (int i = 0; i < calls; i++) {
            ok += bucket.tryAcquire() ? 1 : 0;
            clock.advance(Duration.ofMillis(gapMs));
        }

        assertEquals(granted, ok);
    }
}
