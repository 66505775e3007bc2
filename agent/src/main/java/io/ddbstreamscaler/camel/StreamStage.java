package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.TriggerOutcome;

import io.ddbstreamscaler.schedule.PollSchedule;
import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.stream.CallCredit;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream stage of the scale loop: counts the shards of every trigger of one ScaledObject, spending the AWS calls
 * the schedule booked for this poll, and tells the schedule when the poll has ended (however it ends).
 */
public final class StreamStage {

    /** The header the scale-loop route sets to the ScaledObject's "namespace/name". */
    public static final String SCALED_OBJECT_HEADER = "ScaledObject";

    private final ScaledObjectStore store;
    private final ShardCounter shardCounter;
    private final PollSchedule schedule;
    private final ScalerMetrics metrics;
    private final Clock clock;
    private final boolean dryRun;

    public StreamStage(ScaledObjectStore store, ShardCounter shardCounter, PollSchedule schedule, ScalerMetrics metrics,
                       Clock clock, boolean dryRun) {
        this.store = store;
        this.shardCounter = shardCounter;
        this.schedule = schedule;
        this.metrics = metrics;
        this.clock = clock;
        this.dryRun = dryRun;
    }

    /** One trigger's failure never hides another's reading: each is counted on its own (KEDA does the same). */
    public Poll probe(Exchange exchange, @Header(SCALED_OBJECT_HEADER) String scaledObjectId) {
        long start = System.nanoTime();
        PollSchedule.Dispatch dispatch = schedule.started(scaledObjectId);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                schedule.finished(scaledObjectId);
            }
        });
        metrics.recordPollLateness(Duration.between(dispatch.scheduledFor(), clock.instant()).toNanos() / 1e9);
        ScaledObjectConfig config = store.require(scaledObjectId).config();
        List<TriggerOutcome> outcomes = new ArrayList<>(config.triggers().size());
        try (CallCredit credit = CallCredit.open(dispatch.booked())) {
            for (TriggerConfig trigger : config.triggers()) {
                outcomes.add(count(trigger));
            }
            shardCounter.refund(credit.unspent());
        }
        return new Poll(config, outcomes, null, dryRun, start);
    }

    private TriggerOutcome count(TriggerConfig trigger) {
        try {
            return TriggerOutcome.of(trigger, shardCounter.count(trigger));
        } catch (ProbeException e) {
            return TriggerOutcome.failed(trigger, e);
        } catch (RuntimeException e) {
            // An unexpected failure is still a failed reading: the policy holds the count rather than guess.
            return TriggerOutcome.failed(trigger, new ProbeException(ProbeException.Kind.UNAVAILABLE,
                    "unexpected probe failure: " + e.getClass().getSimpleName(), 0, e));
        }
    }

    /** AWS calls one count of {@code trigger} will make: a DescribeStream page per 100 shards of its last reading. */
    static int expectedCalls(ScaledObjectStore store, ScaledObjectConfig config, TriggerConfig trigger) {
        return store.get(config.id()).flatMap(e -> e.lastOutcomes().stream()
                        .filter(o -> o.trigger().index() == trigger.index() && !o.failed()).findFirst())
                .map(o -> Math.max(1, (o.reading().total() + 99) / 100)).orElse(1);
    }
}
