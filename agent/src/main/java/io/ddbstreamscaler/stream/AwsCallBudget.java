package io.ddbstreamscaler.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per (account or access key, region), shared by every trigger that calls AWS with that identity:
 * AWS throttles DescribeStream per account at about 10 calls/s, so 1,000 triggers must share one allowance rather
 * than each throttle the others.
 */
public final class AwsCallBudget {

    /** Who is billed: an account id, an access key id, or "ambient" when the default chain decides. */
    public record Key(String principal, String region) {
    }

    private final double perSecond;
    private final int burst;
    private final Clock clock;
    private final Map<Key, TokenBucket> buckets = new ConcurrentHashMap<>();

    public AwsCallBudget(double perSecond, int burst, Clock clock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /**
     * Books one call for {@code key}; the caller waits the returned time before making it. A call already booked for
     * this poll (an open {@link CallCredit}) is taken from the credit and costs no wait.
     */
    public Duration reserve(Key key) {
        if (CallCredit.spend(key)) {
            return Duration.ZERO;
        }
        return bucket(key).reserve();
    }

    /**
     * Books {@code calls} calls for {@code key} now and says how long until the last of them is available: the
     * scheduler starts the poll then, instead of a poll thread waiting for them.
     */
    public Duration book(Key key, int calls) {
        TokenBucket bucket = bucket(key);
        Duration wait = Duration.ZERO;
        for (int i = 0; i < calls; i++) {
            wait = bucket.reserve();
        }
        return wait;
    }

    /** Gives back calls booked and not made, so that an over-estimate does not slow the others. */
    public void refund(Key key, int calls) {
        TokenBucket bucket = buckets.get(key);
        if (bucket != null && calls > 0) {
            bucket.refund(calls);
        }
    }

    /** Calls per second each key may make. */
    public double perSecond() {
        return perSecond;
    }

    private TokenBucket bucket(Key key) {
        return buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst, clock));
    }
}
