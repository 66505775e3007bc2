package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.policy.PolicyHistory;
import io.ddbstreamscaler.policy.PolicyInput;
import io.ddbstreamscaler.policy.ReplicaPolicy;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.policy.ScalingSettings;
import io.ddbstreamscaler.policy.TriggerReading;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.ManualClock;
import io.ddbstreamscaler.simulator.aws.AwsState;
import io.ddbstreamscaler.simulator.aws.SimKclConsumer;
import io.ddbstreamscaler.simulator.aws.SimShard;
import io.ddbstreamscaler.stream.kcl.ListedShard;
import io.ddbstreamscaler.tools.SimulatedLeases;
import io.ddbstreamscaler.trigger.TriggerConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated day of a table's stream and the KCL fleet that reads it, after a first day like it (so that DynamoDB lists
 * 24 hours of closed shards, as it does on any day but a stream's first), scaled by one {@link Counting}: the scaler
 * polls every {@code pollingInterval}, the real replica policy ({@link ReplicaPolicy}) decides, and the fleet runs as
 * many workers as it decided, at once (as {@code simulate} assumes: no pod start-up time). The stream, the traffic and
 * the fleet are the same for every count:
 * <ul>
 *   <li>4 open shards at the first midnight; each day from 06:00 to 13:30 the oldest open shard splits in two every
 *       30 minutes (16 partition splits a day); every shard is closed 4 hours after it opened and one child takes its
 *       place (DynamoDB Streams' roll-over), so closed shards pile up for 24 hours;</li>
 *   <li>records arrive in each open shard at 50/s at midnight to 150/s at noon (a sine; 100/s on average), and a worker
 *       reads one shard at {@code drainRate} x 100/s, {@code shardCount} shards at a time; around noon the fleet
 *       falls behind, so parents close with records left, and catches up in the evening.</li>
 * </ul>
 */
final class SplitDay {

    static final String TABLE = "orders";
    static final String LEASES = "orders-consumer";
    static final Instant MIDNIGHT = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration DAY = Duration.ofHours(24);
    /** The first day fills the 24 h of closed shards; the second is measured. */
    static final int DAYS = 2;
    static final Duration STEP = Duration.ofSeconds(5);
    static final Duration ROLL_OVER = Duration.ofHours(4);
    static final double MEAN_WRITE_RATE = 100;

    /** One poll of the measured day: seconds since its midnight, the count, the replicas decided. */
    record Point(long seconds, int metric, int replicas, int total, int open, int waiting) {
    }

    /** What a day cost and how the fleet fared. */
    record Result(Counting counting, SimKclConsumer.ChildLeases childLeases, double replicaHours, int peakReplicas,
                  double waitingShardHours, double longestWaitSeconds, List<Point> points) {
    }

    private final TriggerConfig trigger;
    private final ScalingSettings settings;
    private final int pollingInterval;
    private final double drainRate;

    SplitDay(TriggerConfig trigger, ScalingSettings settings, int pollingInterval, double drainRate) {
        this.trigger = trigger;
        this.settings = settings;
        this.pollingInterval = pollingInterval;
        this.drainRate = drainRate;
    }

    static double writeRate(Instant t) {
        double dayFraction = (Duration.between(MIDNIGHT, t).toSeconds() % DAY.toSeconds()) / (double) DAY.toSeconds();
        return MEAN_WRITE_RATE * (1 + 0.5 * Math.sin(2 * Math.PI * (dayFraction - 0.25)));
    }

    Result run(Counting counting, SimKclConsumer.ChildLeases childLeases) {
        ManualClock clock = new ManualClock(MIDNIGHT);
        AwsState state = new AwsState(clock, "us-east-1", AwsSimulator.RETENTION);
        state.createTable(TABLE, 4);
        int[] replicas = {settings.minReplicaCount()};
        SimKclConsumer fleet = new SimKclConsumer(state, TABLE, LEASES, clock, () -> replicas[0],
                new SimKclConsumer.Settings((int) trigger.shardCount(), drainRate * MEAN_WRITE_RATE,
                        SplitDay::writeRate, childLeases, 0, 42));
        Map<String, Instant> openedAt = new HashMap<>();
        PolicyHistory history = PolicyHistory.empty();
        List<Point> points = new ArrayList<>();
        double replicaSeconds = 0;
        int peak = 0;
        long steps = DAY.multipliedBy(DAYS).dividedBy(STEP);
        long measuredFrom = DAY.multipliedBy(DAYS - 1).dividedBy(STEP);
        long pollEvery = Duration.ofSeconds(pollingInterval).dividedBy(STEP);
        for (long i = 0; i < steps; i++) {
            Instant now = clock.instant();
            boolean measured = i >= measuredFrom;
            if (i == measuredFrom) {
                fleet.resetWaits();
            }
            changeShards(state, openedAt, now);
            if (i % pollEvery == 0) {
                List<ListedShard> listed = SimulatedLeases.shards(state, TABLE);
                int metric = counting.count(listed, SimulatedLeases.leases(state, LEASES));
                ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(List.of(TriggerReading.of(trigger.metricName(),
                        trigger.metricType(), trigger.shardCount(), trigger.activationShardCount(), metric)),
                        replicas[0], settings, history, now, false));
                history = d.nextHistory();
                replicas[0] = d.desiredReplicas();
                fleet.seen(listed.stream().map(ListedShard::shardId).toList());
                if (measured) {
                    peak = Math.max(peak, replicas[0]);
                    points.add(new Point(Duration.between(MIDNIGHT, now).toSeconds() - DAY.toSeconds() * (DAYS - 1),
                            metric, replicas[0], listed.size(), (int) listed.stream().filter(s -> !s.closed()).count(),
                            fleet.waitingNow()));
                }
            }
            fleet.step(STEP);
            replicaSeconds += measured ? replicas[0] * (double) STEP.toSeconds() : 0;
            clock.advance(STEP);
        }
        return new Result(counting, childLeases, replicaSeconds / 3600, peak, fleet.waitingShardSeconds() / 3600,
                fleet.longestWaitSeconds(), List.copyOf(points));
    }

    /** The day's splits and roll-overs that fall due at {@code now}. */
    private static void changeShards(AwsState state, Map<String, Instant> openedAt, Instant now) {
        List<SimShard> open = state.stream(TABLE).shards().stream().filter(SimShard::isOpen).toList();
        open.forEach(s -> openedAt.putIfAbsent(s.shardId(), now));
        long seconds = Duration.between(MIDNIGHT, now).toSeconds() % DAY.toSeconds();
        boolean splitDue = seconds >= 6 * 3600 && seconds < 14 * 3600 && seconds % 1800 == 0;
        if (splitDue && !open.isEmpty()) {
            state.splitShard(TABLE, open.get(0).shardId()).forEach(c -> openedAt.put(c.shardId(), now));
        }
        for (SimShard s : state.stream(TABLE).shards()) {
            Instant opened = openedAt.get(s.shardId());
            if (s.isOpen() && opened != null && !now.isBefore(opened.plus(ROLL_OVER))) {
                openedAt.put(state.rollOver(TABLE, s.shardId()).shardId(), now);
            }
        }
    }
}
