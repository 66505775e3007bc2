package io.ddbstreamscaler.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one decision depends on; the policy reads nothing else (no clock, no I/O).
 *
 * @param readings        one reading per trigger of the ScaledObject, in trigger order
 * @param currentReplicas the target's {@code spec.replicas} (the scale subresource)
 * @param settings        the ScaledObject's replica settings, KEDA defaults applied
 * @param history         the previous decision's {@link ScaleDecision#nextHistory()}, or {@link PolicyHistory#empty()}
 * @param now             from the agent's injected clock
 * @param sidecarGuard    true when the agent runs inside the target's own pods: never decide below 1
 */
public record PolicyInput(List<TriggerReading> readings, int currentReplicas, ScalingSettings settings,
                          PolicyHistory history, Instant now, boolean sidecarGuard) {

    public PolicyInput {
        readings = List.copyOf(Objects.requireNonNull(readings, "readings"));
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(now, "now");
        history = history == null ? PolicyHistory.empty() : history;
        if (currentReplicas < 0) {
            throw new IllegalArgumentException("currentReplicas must be >= 0, got " + currentReplicas);
        }
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("a ScaledObject has at least one trigger: readings is empty");
        }
    }
}
