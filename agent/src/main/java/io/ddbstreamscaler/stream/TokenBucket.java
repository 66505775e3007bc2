package io.ddbstreamscaler.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up. Thread-safe.
 * {@link #reserve()} takes a token now or books the next one and says how long to wait for it, so waiting
 * callers queue fairly instead of racing (the reservation scheme of Guava's RateLimiter).
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private final Clock clock;
    private double tokens;
    private Instant last;

    public TokenBucket(double ratePerSecond, int burst, Clock clock) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1, got " + ratePerSecond + "/" + burst);
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.instant();
    }

    /** Takes a token if one is there now; never waits. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Takes a token, going into debt if need be; returns how long the caller must wait before using it. */
    public synchronized Duration reserve() {
        refill();
        tokens -= 1;
        if (tokens >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-tokens / ratePerNano));
    }

    /** Returns unused tokens, never beyond the burst. */
    public synchronized void refund(int count) {
        refill();
        tokens = Math.min(burst, tokens + count);
    }

    private void refill() {
        Instant now = clock.instant();
        long elapsed = Duration.between(last, now).toNanos();
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            last = now;
        }
    }
}
