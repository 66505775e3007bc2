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

    /** Books one call for {@code key}; the caller waits the returned time before making it. */
    public Duration reserve(Key key) {
        return buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst, clock)).reserve();
    }
}
