package io.ddbstreamscaler.simulator.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How AWS meters an operation: a steady rate of calls a second with a burst allowance; a call past it is refused at
 * once (the caller sees the throttling error), never delayed.
 */
final class CallRate {

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private double allowance;
    private Instant checked;

    CallRate(double perSecond, int burst, Clock clock) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a call rate needs perSecond > 0 and burst >= 1, got " + perSecond + "/" + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.allowance = burst;
        this.checked = clock.instant();
    }

    /** True when the call is within the rate (and counts it); false when AWS would throttle it. */
    synchronized boolean admit() {
        Instant now = clock.instant();
        double seconds = Math.max(0, Duration.between(checked, now).toNanos()) / 1e9;
        allowance = Math.min(burst, allowance + seconds * perSecond);
        checked = now;
        if (allowance < 1) {
            return false;
        }
        allowance -= 1;
        return true;
    }
}
