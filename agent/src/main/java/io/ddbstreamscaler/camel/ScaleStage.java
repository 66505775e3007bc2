package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.WriteStatus;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Predicate;

/**
 * The scale stage of the scale loop: the one write path to {@code /scale}, for every kind that has the subresource, in
 * the loop itself before the sinks. It writes only when the decision changes the count, this is no dry run and this
 * agent still holds the Lease; the scale port re-reads and retries a 409 (the one owner of retry). Whatever happens,
 * the poll it passes on says so ({@link WriteStatus}): a failure never leaves this stage as an exception, so the sinks
 * after it always run and never report a scale that did not happen.
 */
public final class ScaleStage {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.scale");
    private static final Logger FAILURE = LoggerFactory.getLogger("io.ddbstreamscaler.failure");

    private final ScaleTarget scaleTarget;
    private final Predicate<ScaledObjectConfig> holdsLease;
    private final ScalerMetrics metrics;

    /**
     * @param holdsLease asked only when a write is due (always true without leader election): whether this agent still
     *                   holds the ScaledObject's Lease at the API server
     */
    public ScaleStage(ScaleTarget scaleTarget, Predicate<ScaledObjectConfig> holdsLease, ScalerMetrics metrics) {
        this.scaleTarget = scaleTarget;
        this.holdsLease = holdsLease;
        this.metrics = metrics;
    }

    public Poll write(Poll poll, Exchange exchange) {
        return PollCompletion.carry(exchange, written(poll));
    }

    private Poll written(Poll poll) {
        if (!poll.changes() || poll.dryRun()) {
            return poll.withWrite(WriteStatus.NOT_DUE);
        }
        var tags = ScalerMetrics.scaledObjectTags(poll.getNamespace(), poll.config().name());
        try {
            if (!holdsLease.test(poll.config())) {
                return poll.leaseMoved();
            }
            ScaleTarget.ScaleResult result = scaleTarget.scale(poll.getNamespace(), poll.getTarget(),
                    poll.getDesiredReplicas());
            if (!result.written()) {
                // Someone else set the count meanwhile: nothing was written, so no scale event either.
                LOG.info("{} {}/{} already has {} replicas: not written", poll.getTargetKind(), poll.getNamespace(),
                        poll.getTargetName(), result.from());
                return poll.withWrite(WriteStatus.NOT_DUE);
            }
            metrics.recordScaleWrite(tags, direction(poll), "success");
            LOG.info("scaled {} {}/{} from {} to {} replicas", poll.getTargetKind(), poll.getNamespace(),
                    poll.getTargetName(), result.from(), result.to());
            return poll.withWrite(WriteStatus.WRITTEN);
        } catch (RuntimeException e) {
            metrics.recordScaledObjectError(tags);
            metrics.recordScaleWrite(tags, direction(poll), "failure");
            FAILURE.error("ScaledObject {}: writing {} replicas to {} {}/{} failed, replicas left at {}: {}",
                    poll.config().id(), poll.getDesiredReplicas(), poll.getTargetKind(), poll.getNamespace(),
                    poll.getTargetName(), poll.getCurrentReplicas(), FailureSink.describe(e));
            return poll.withWrite(WriteStatus.failed(FailureSink.shortCause(e)));
        }
    }

    static String direction(Poll poll) {
        return poll.getDesiredReplicas() > poll.getCurrentReplicas() ? "up" : "down";
    }
}
