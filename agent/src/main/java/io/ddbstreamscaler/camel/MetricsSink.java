package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.TriggerOutcome;

import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;

/** The metrics sink of the scale loop: turns a finished poll into KEDA's series and ours. */
public final class MetricsSink {

    private final ScalerMetrics metrics;
    private final ScaledObjectStore store;
    private final Clock clock;

    public MetricsSink(ScalerMetrics metrics, ScaledObjectStore store, Clock clock) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
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
                // KEDA's activity: value > activationShardCount (aws_dynamodb_streams_scaler.go GetMetricsAndActivity).
                metrics.recordReading(t, value, value > o.trigger().activationShardCount(), r.latencyNanos() / 1e9,
                        r.total(), r.open(), r.closed());
                if (r.leases() != null) {
                    metrics.recordLeases(t, r.leases());
                }
                metrics.recordAwsCalls("success", r.awsCalls());
            }
        }
        metrics.recordDecision(soTags, decision.currentReplicas(), decision.desiredReplicas(), decision.reason().name(),
                so.scaling().paused() || so.scaling().pausedReplicas() != null, (System.nanoTime() - poll.startNanos()) / 1e9);
        // The metrics sink runs after the scale sink in the multicast: the write's outcome is known here.
        store.get(so.id()).ifPresent(e -> e.polled(clock.instant(), poll));
    }
}
