package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.PollCommit;
import io.ddbstreamscaler.schedule.PollSchedule;
import io.ddbstreamscaler.schedule.ScaledObjectStore;
import io.ddbstreamscaler.schedule.TriggerOutcome;
import io.ddbstreamscaler.stream.CallCredit;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream stage of the scale loop, its first step: registers the poll's completion ({@link PollCompletion}), then
 * counts the shards of every trigger of one ScaledObject, spending the AWS calls the schedule booked for this poll.
 */
public final class StreamStage {

    /** The header the scale-loop route sets to the ScaledObject's "namespace/name". */
    public static final String SCALED_OBJECT_HEADER = "ScaledObject";

    private final ScaledObjectStore store;
    private final ShardCounter shardCounter;
    private final PollSchedule schedule;
    private final PollCommit commit;
    private final ScalerMetrics metrics;
    private final Clock clock;
    private final boolean dryRun;

    public StreamStage(AgentBeans.PollState state, ShardCounter shardCounter, ScalerMetrics metrics, Clock clock,
                       boolean dryRun) {
        this.store = state.store();
        this.schedule = state.schedule();
        this.commit = state.commit();
        this.shardCounter = shardCounter;
        this.metrics = metrics;
        this.clock = clock;
        this.dryRun = dryRun;
    }

    /** One trigger's failure never hides another's reading: each is counted on its own (KEDA does the same). */
    public Poll probe(Exchange exchange, @Header(SCALED_OBJECT_HEADER) String scaledObjectId) {
        long start = System.nanoTime();
        exchange.getExchangeExtension().addOnCompletion(new PollCompletion(commit, scaledObjectId));
        PollSchedule.Dispatch dispatch = schedule.started(scaledObjectId);
        metrics.recordPollLateness(Duration.between(dispatch.scheduledFor(), clock.instant()).toNanos() / 1e9);
        ScaledObjectConfig config = store.require(scaledObjectId).config();
        List<TriggerOutcome> outcomes = new ArrayList<>(config.triggers().size());
        try (CallCredit credit = CallCredit.open(dispatch.booked())) {
            for (TriggerConfig trigger : config.triggers()) {
                outcomes.add(count(trigger));
            }
            shardCounter.refund(credit.unspent());
        }
        return PollCompletion.carry(exchange, new Poll(config, outcomes, null, dryRun, start));
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
}
