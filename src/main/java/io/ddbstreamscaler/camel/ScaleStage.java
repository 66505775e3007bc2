package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.ScaleTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale sink for targets camel-kubernetes cannot scale (StatefulSets, Argo Rollouts and any kind with /scale), and
 * the bookkeeping after every write.
 */
public final class ScaleStage {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.scale");

    private final ScaleTarget scaleTarget;
    private final ScalerMetrics metrics;

    public ScaleStage(ScaleTarget scaleTarget, ScalerMetrics metrics) {
        this.scaleTarget = scaleTarget;
        this.metrics = metrics;
    }

    /** Writes through the scale subresource (re-reads and retries on 409 inside the port). */
    public Poll write(Poll poll) {
        scaleTarget.scale(poll.getNamespace(), poll.getTarget(), poll.getDesiredReplicas());
        return poll;
    }

    /** After a successful write: one INFO line and the write counter. */
    public Poll written(Poll poll) {
        String direction = poll.getDesiredReplicas() > poll.getCurrentReplicas() ? "up" : "down";
        metrics.recordScaleWrite(ScalerMetrics.scaledObjectTags(poll.getNamespace(), poll.config().name()), direction, "success");
        LOG.info("scaled {} {}/{} from {} to {} replicas", poll.getTargetKind(), poll.getNamespace(), poll.getTargetName(),
                poll.getCurrentReplicas(), poll.getDesiredReplicas());
        return poll;
    }
}
