package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.policy.ReplicaPolicy;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.TriggerOutcome;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.micrometer.core.instrument.Tags;

/** The metrics sink of the scale loop: turns a finished poll into KEDA's series and ours. Reads the poll only. */
public final class MetricsSink {

    private final ScalerMetrics metrics;

    public MetricsSink(ScalerMetrics metrics) {
        this.metrics = metrics;
    }

    public void record(Poll poll) {
        ScaledObjectConfig so = poll.config();
        Tags soTags = ScalerMetrics.scaledObjectTags(so.namespace(), so.name());
        ScaleDecision decision = poll.decision();
        for (TriggerOutcome o : poll.outcomes()) {
            Tags t = ScalerMetrics.triggerTags(so.namespace(), so.name(), o.trigger().index(), o.trigger().metricName());
            if (o.failed()) {
                metrics.recordTriggerError(t, soTags);
                metrics.recordAwsCalls(o.error().kind() == ProbeException.Kind.THROTTLED ? "throttled" : "error",
                        o.error().awsCalls());
            } else {
                var r = o.reading();
                double value = r.metricValue(o.trigger().countClosedShards());
                metrics.recordReading(t, value, ReplicaPolicy.isActive(value, o.trigger().activationShardCount()),
                        r.latencyNanos() / 1e9,
                        r.total(), r.open(), r.closed());
                if (r.leases() != null) {
                    metrics.recordLeases(t, r.leases());
                }
                metrics.recordAwsCalls("success", r.awsCalls());
            }
        }
        metrics.recordDecision(soTags, decision.currentReplicas(), decision.desiredReplicas(), decision.reason().name(),
                so.scaling().paused() || so.scaling().pausedReplicas() != null, (System.nanoTime() - poll.startNanos()) / 1e9);
    }
}
