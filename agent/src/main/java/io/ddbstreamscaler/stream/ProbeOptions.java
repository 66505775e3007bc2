package io.ddbstreamscaler.stream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the AWS probe talks to AWS: timeouts, retries, the shared call budget and the stream ARN refresh.
 *
 * @param connectTimeout      TCP connect timeout of the HTTP client
 * @param callTimeout         socket read timeout, and the SDK's per-attempt timeout
 * @param maxAttempts         attempts per AWS call, first one included (>= 1)
 * @param baseBackoff         first retry waits up to this, doubling each attempt (full jitter)
 * @param maxBackoff          cap of one retry wait
 * @param budgetPerSecond     AWS calls per second per (account or access key, region), shared by every trigger
 * @param budgetBurst         calls the budget lets through at once after an idle period
 * @param arnRefreshPeriod    a cached LatestStreamArn is resolved again after this (a re-enabled stream has a new ARN)
 * @param stsEndpoint         STS endpoint override for assume-role, null for the SDK's own (AWS_ENDPOINT_URL_STS)
 * @param clock               time source of the budget and the ARN cache
 * @param sleeper             how waits happen (backoff, budget); injectable so tests control time
 */
public record ProbeOptions(Duration connectTimeout, Duration callTimeout, int maxAttempts, Duration baseBackoff,
                           Duration maxBackoff, double budgetPerSecond, int budgetBurst, Duration arnRefreshPeriod,
                           URI stsEndpoint, Clock clock, Sleeper sleeper) {

    /** Waits; {@link Thread#sleep(long)} in production. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public ProbeOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(baseBackoff, "baseBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(arnRefreshPeriod, "arnRefreshPeriod");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (!(budgetPerSecond > 0)) {
            throw new IllegalArgumentException("budgetPerSecond must be > 0, got " + budgetPerSecond);
        }
        if (budgetBurst < 1) {
            throw new IllegalArgumentException("budgetBurst must be >= 1, got " + budgetBurst);
        }
    }

    /**
     * Defaults: 2 s connect, 5 s per call, 4 attempts from 100 ms up to 2 s, 8 calls/s with a burst of 4 (AWS allows
     * DescribeStream about 10/s per account: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html),
     * ARN re-resolved every 5 minutes.
     */
    public static ProbeOptions defaults() {
        return new ProbeOptions(Duration.ofSeconds(2), Duration.ofSeconds(5), 4, Duration.ofMillis(100),
                Duration.ofSeconds(2), 8.0, 4, Duration.ofMinutes(5), null, Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    public ProbeOptions withBudget(double perSecond, int burst) {
        return new ProbeOptions(connectTimeout, callTimeout, maxAttempts, baseBackoff, maxBackoff, perSecond, burst,
                arnRefreshPeriod, stsEndpoint, clock, sleeper);
    }

    public ProbeOptions withRetries(int attempts, Duration base, Duration max) {
        return new ProbeOptions(connectTimeout, callTimeout, attempts, base, max, budgetPerSecond, budgetBurst,
                arnRefreshPeriod, stsEndpoint, clock, sleeper);
    }

    public ProbeOptions withTimeouts(Duration connect, Duration call) {
        return new ProbeOptions(connect, call, maxAttempts, baseBackoff, maxBackoff, budgetPerSecond, budgetBurst,
                arnRefreshPeriod, stsEndpoint, clock, sleeper);
    }

    public ProbeOptions withStsEndpoint(URI endpoint) {
        return new ProbeOptions(connectTimeout, callTimeout, maxAttempts, baseBackoff, maxBackoff, budgetPerSecond,
                budgetBurst, arnRefreshPeriod, endpoint, clock, sleeper);
    }

    public ProbeOptions withArnRefresh(Duration period, Clock clockToUse) {
        return new ProbeOptions(connectTimeout, callTimeout, maxAttempts, baseBackoff, maxBackoff, budgetPerSecond,
                budgetBurst, period, stsEndpoint, clockToUse, sleeper);
    }
}
