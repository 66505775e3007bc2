package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.simulator.ManualClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    static Stream<Arguments> invalid() {
        return Stream.of(
                // name, rate/s, burst
                Arguments.of("a rate of 0", 0.0, 1),
                Arguments.of("a negative rate", -1.0, 1),
                Arguments.of("a rate that is not a number", Double.NaN, 1),
                Arguments.of("a burst of 0", 1.0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesABucketThatCouldNeverServe(String name, double rate, int burst) {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(rate, burst, new ManualClock()));
    }

    @Test
    void theSmallestBucketServesOneCallAtOnce() {
        TokenBucket bucket = new TokenBucket(0.5, 1, new ManualClock());
        assertEquals(Duration.ZERO, bucket.reserve());
        assertEquals(Duration.ofSeconds(2), bucket.reserve(), "then one every 2 s");
    }

    @Test
    void aWaitIsRoundedUpToTheNanosecond() {
        // At 3/s the next token is 1/3 s away: 333,333,333.3 ns, so 333,333,334 ns (never a call a fraction early).
        TokenBucket bucket = new TokenBucket(3, 1, new ManualClock());
        bucket.reserve();
        assertEquals(333_333_334L, bucket.reserve().toNanos());
    }

    @Test
    void aRefundIsUsableAtOnceButNeverBeyondTheBurst() {
        ManualClock clock = new ManualClock();
        TokenBucket bucket = new TokenBucket(1, 3, clock);
        for (int i = 0; i < 3; i++) {
            bucket.reserve();
        }
        bucket.refund(2);
        assertEquals(List.of(0L, 0L, 1000L), List.of(bucket.reserve().toMillis(), bucket.reserve().toMillis(),
                bucket.reserve().toMillis()), "two given back, then the rate again");

        TokenBucket full = new TokenBucket(1, 3, clock);
        full.refund(5);
        assertEquals(List.of(true, true, true, false), List.of(full.tryAcquire(), full.tryAcquire(), full.tryAcquire(),
                full.tryAcquire()), "a full bucket takes nothing back");
    }

    @Test
    void aTryThatFailsTakesNothing() {
        ManualClock clock = new ManualClock();
        TokenBucket bucket = new TokenBucket(2, 1, clock);
        assertEquals(true, bucket.tryAcquire());
        assertEquals(false, bucket.tryAcquire());
        clock.advance(Duration.ofMillis(500));
        assertEquals(true, bucket.tryAcquire(), "the failed try did not go into debt");
    }
}
