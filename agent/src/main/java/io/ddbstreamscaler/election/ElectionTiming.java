package io.ddbstreamscaler.election;

import java.time.Duration;

/**
 * The two periods of leader election, in one place: how long a Lease holds ({@code leaseDuration}) and how often each
 * agent makes its pass over the Leases ({@code passPeriod}, the lease-spread route's timer). A holder leads only while
 * its last renewal is less than a lease duration old and renews on every pass, so the pass must come several times
 * within a lease duration: one slow or failed pass must not cost it the lead (Kubernetes' own leader election retries
 * every 2 s against a 15 s lease). The pass period is derived from the lease duration at that ratio; nothing else sets
 * it, and the route contract checks the route's timer against it.
 *
 * @param leaseDuration how long a Lease holds before another agent may take it
 * @param passPeriod    how often each agent makes a pass
 */
public record ElectionTiming(Duration leaseDuration, Duration passPeriod) {

    /** A pass every 2 s against a 15 s lease. */
    public static final ElectionTiming DEFAULT = forLease(Duration.ofSeconds(15));

    /** Passes at least this many times within a lease duration. */
    static final int MIN_PASSES_PER_LEASE = 3;

    public ElectionTiming {
        if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the lease duration must be at least 1 s, got " + leaseDuration);
        }
        if (passPeriod.multipliedBy(MIN_PASSES_PER_LEASE).compareTo(leaseDuration) > 0) {
            throw new IllegalArgumentException("a Lease pass every " + passPeriod.toMillis() + " ms is too slow for a "
                    + leaseDuration.toMillis() + " ms lease: it must pass at least " + MIN_PASSES_PER_LEASE
                    + " times within a lease duration");
        }
    }

    /** The shipped ratio, 2 s of pass per 15 s of lease. */
    public static ElectionTiming forLease(Duration leaseDuration) {
        return new ElectionTiming(leaseDuration, leaseDuration.multipliedBy(2).dividedBy(15));
    }
}
