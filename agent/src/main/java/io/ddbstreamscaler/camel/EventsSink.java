package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.policy.ScaleDecision.Reason;
import io.ddbstreamscaler.scale.ScaleException;
import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.ScaledObjectStore;
import io.ddbstreamscaler.schedule.TriggerOutcome;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The events sink of the scale loop: Kubernetes Events on the scale target, where {@code kubectl describe} and
 * {@code kubectl get events} show them, with the HPA's reasons where it has one (SuccessfulRescale, FailedRescale,
 * FailedGetScale: kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go) and KEDA's for a failing scaler
 * (KEDAScalerFailed: kedacore/keda pkg/eventreason). The recorder aggregates repeats. No Event in a dry run. Reads the
 * poll and the store only.
 */
public final class EventsSink {

    /** Writes one occurrence of an Event (the adapter aggregates repeats; it never throws). */
    @FunctionalInterface
    public interface Recorder {
        void record(String namespace, ScaleTargetRef target, boolean warning, String reason, String message);

        Recorder NONE = (namespace, target, warning, reason, message) -> {
        };
    }

    /** Without a fallback, a probe is reported failing after this many failed polls in a row. */
    static final int DEFAULT_FAILURE_THRESHOLD = 3;

    private final Recorder recorder;
    private final ScaledObjectStore store;
    private final boolean dryRun;

    public EventsSink(Recorder recorder, ScaledObjectStore store, boolean dryRun) {
        this.recorder = recorder;
        this.store = store;
        this.dryRun = dryRun;
    }

    public void record(Poll poll) {
        if (dryRun) {
            return;
        }
        ScaledObjectConfig so = poll.config();
        ScaleDecision decision = poll.decision();
        switch (poll.write().state()) {
            case WRITTEN -> recorder.record(so.namespace(), so.scaleTarget(), false, "SuccessfulRescale",
                    "New size: " + decision.desiredReplicas() + "; reason: " + why(poll));
            case FAILED -> recorder.record(so.namespace(), so.scaleTarget(), true, "FailedRescale",
                    "New size: " + decision.desiredReplicas() + "; reason: " + why(poll) + "; error: "
                            + poll.write().failure() + ", replicas left at " + decision.currentReplicas());
            case PENDING, NOT_DUE -> {
            }
        }
        int threshold = so.scaling().fallback() != null ? so.scaling().fallback().failureThreshold() : DEFAULT_FAILURE_THRESHOLD;
        for (TriggerOutcome o : poll.outcomes()) {
            int failures = decision.nextHistory().consecutiveFailures(o.trigger().metricName());
            if (o.failed() && failures > threshold) {
                recorder.record(so.namespace(), so.scaleTarget(), true, "KEDAScalerFailed", "table "
                        + o.trigger().tableName() + ": " + o.error().kind() + ": " + o.error().getMessage() + " ("
                        + failures + " failed polls in a row; replicas are held)");
            }
        }
        if (decision.reason() == Reason.Fallback) {
            recorder.record(so.namespace(), so.scaleTarget(), true, "FallbackActive", decision.message());
        }
    }

    /** A poll that failed before its sinks: a /scale read is the HPA's FailedGetScale. */
    void pollFailed(String id, Throwable error, String message) {
        if (dryRun || !(error instanceof ScaleException)) {
            return;
        }
        store.get(id).map(ScaledObjectStore.Entry::config).ifPresent(so ->
                recorder.record(so.namespace(), so.scaleTarget(), true, "FailedGetScale", message));
    }

    /** e.g. {@code 7 shards at target 2, table keda-events}, and the policy's reason unless a plain scale. */
    static String why(Poll poll) {
        String triggers = poll.outcomes().stream().filter(o -> !o.failed())
                .map(o -> o.reading().metricValue(o.trigger().countClosedShards()) + " shards at target "
                        + o.trigger().shardCount() + ", table " + o.trigger().tableName())
                .collect(Collectors.joining("; "));
        Reason reason = poll.decision().reason();
        String tail = reason == Reason.ScaleUp || reason == Reason.ScaleDown ? "" : " (" + reason + ")";
        return Optional.of(triggers).filter(t -> !t.isEmpty()).orElse("no reading") + tail;
    }
}
