package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.WriteStatus;

import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.ScaleTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale sink for targets camel-kubernetes cannot scale (StatefulSets, Argo Rollouts and any kind with /scale), and
 * the bookkeeping after every successful write. A failed write is the error handler's ({@link FailureSink#report}).
 */
public final class ScaleStage {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.scale");

    private final ScaleTarget scaleTarget;
    private final ScalerMetrics metrics;
    private final ScaledObjectStore store;

    public ScaleStage(ScaleTarget scaleTarget, ScalerMetrics metrics, ScaledObjectStore store) {
        this.scaleTarget = scaleTarget;
        this.metrics = metrics;
        this.store = store;
    }

    /** Writes through the scale subresource (re-reads and retries on 409 inside the port). */
    public Poll write(Poll poll) {
        scaleTarget.scale(poll.getNamespace(), poll.getTarget(), poll.getDesiredReplicas());
        return poll;
    }

    /** After a successful write: the scale event goes into the policy's history, one INFO line, the write counter. */
    public Poll written(Poll poll) {
        poll.write().set(WriteStatus.State.WRITTEN);
        store.get(poll.config().id()).ifPresent(ScaledObjectStore.Entry::written);
        metrics.recordScaleWrite(ScalerMetrics.scaledObjectTags(poll.getNamespace(), poll.config().name()),
                direction(poll), "success");
        LOG.info("scaled {} {}/{} from {} to {} replicas", poll.getTargetKind(), poll.getNamespace(), poll.getTargetName(),
                poll.getCurrentReplicas(), poll.getDesiredReplicas());
        return poll;
    }

    static String direction(Poll poll) {
        return poll.getDesiredReplicas() > poll.getCurrentReplicas() ? "up" : "down";
    }
}
