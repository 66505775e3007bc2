package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.ScaleDecision.Reason;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The replica policy: a pure function from one poll's readings, the current count, the ScaledObject's settings and
 * the policy's own history to a {@link ScaleDecision}. It stands in for the two controllers a KEDA user relies on:
 * the KEDA operator's scale executor (activation, cooldown, idle, pause:
 * {@code kedacore/keda: pkg/scaling/executor/scale_scaledobjects.go RequestScale}) and the HPA KEDA creates
 * ({@link HpaController}). Each poll is one KEDA loop and one HPA reconcile; when KEDA acts, it wins.
 */
public final class ReplicaPolicy {

    private ReplicaPolicy() {
    }

    public static ScaleDecision decide(PolicyInput in) {
        Objects.requireNonNull(in, "in");
        ScaleDecision decision = decideUnguarded(in);
        return in.sidecarGuard() ? sidecarFloor(decision) : decision;
    }

    /**
     * What the rules alone ask for, with no history and the current count unknown (the {@code check} command):
     * inactive gives idleReplicaCount (or minReplicaCount), active gives the largest trigger's ceil(value / target)
     * within [max(min, 1), max]. Failed readings are ignored; when every reading failed, the answer is 0 with
     * {@link Reason#ProbeFailedHold}. The current count is reported as 0.
     */
    public static ScaleDecision oneShot(List<TriggerReading> readings, ScalingSettings settings) {
        Objects.requireNonNull(settings, "settings");
        List<TriggerReading> ok = readings.stream().filter(r -> !r.failed()).toList();
        PolicyHistory none = PolicyHistory.empty();
        if (settings.pausedReplicas() != null) {
            return new ScaleDecision(settings.pausedReplicas(), 0, Reason.Paused,
                    "paused-replicas annotation sets " + settings.pausedReplicas(), false, none);
        }
        if (ok.isEmpty()) {
            return new ScaleDecision(0, 0, Reason.ProbeFailedHold, "every probe failed: " + failures(readings), false, none);
        }
        boolean active = ok.stream().anyMatch(ReplicaPolicy::isActive);
        if (!active) {
            int to = settings.idleReplicaCount() != null ? settings.idleReplicaCount() : settings.minReplicaCount();
            return new ScaleDecision(to, 0, Reason.Inactive, "no trigger above its activationShardCount: " + to, false, none);
        }
        int wanted = 0;
        TriggerReading winner = ok.get(0);
        for (TriggerReading r : ok) {
            int p = ExternalMetricReplicas.proposal(r.metricType(), r.value(), r.target(), 0).replicas();
            if (p > wanted) {
                wanted = p;
                winner = r;
            }
        }
        int min = Math.max(settings.minReplicaCount(), 1);
        int desired = Math.min(Math.max(wanted, min), settings.maxReplicaCount());
        Reason reason = desired < wanted ? Reason.ClampedToMax : desired > wanted ? Reason.ClampedToMin : Reason.ScaleUp;
        return new ScaleDecision(desired, 0, reason, winner.triggerName() + " "
                + HpaController.formatNumber(winner.value()) + " shards at target " + winner.target()
                + " asks " + wanted + "; bounded to [" + min + ", " + settings.maxReplicaCount() + "]: " + desired,
                true, none);
    }

    private static ScaleDecision decideUnguarded(PolicyInput in) {
        ScalingSettings s = in.settings();
        Instant now = in.now();
        int current = in.currentReplicas();
        PolicyHistory history = in.history().createdIfUnset(now).withReadings(in.readings());
        boolean active = in.readings().stream().anyMatch(r -> !r.failed() && isActive(r));
        boolean anyError = in.readings().stream().anyMatch(TriggerReading::failed);

        // RequestScale: "Check if we are paused, and if we are then update the scale to the desired count."
        if (s.pausedReplicas() != null) {
            return new ScaleDecision(s.pausedReplicas(), current, Reason.Paused,
                    "paused-replicas annotation holds " + s.pausedReplicas(), active, history);
        }
        // autoscaling.keda.sh/paused: "true": KEDA stops its loop and deletes the HPA; whatever runs stays.
        if (s.paused()) {
            return new ScaleDecision(current, current, Reason.Paused, "paused annotation holds " + current, active, history);
        }

        int min = s.minReplicaCount();
        Integer idle = s.idleReplicaCount();
        if (active) {
            if ((idle != null && current < min) || current == 0) {
                // scaleFromZeroOrIdle: to minReplicaCount, or 1 when it is 0; lastActiveTime updated on success.
                int to = Math.max(min, 1);
                return new ScaleDecision(to, current, Reason.Activated, activeTriggers(in) + " active; activating "
                        + current + " -> " + to, true, history.withLastActiveTime(now));
            }
            if (!anyError) {
                // "triggers are active, but we didn't need to scale": update LastActiveTime (not when a trigger errs).
                history = history.withLastActiveTime(now);
            }
            return HpaController.reconcile(new HpaController.Context(in, history, true, null, null));
        }

        Fallback fallback = s.fallback();
        if (anyError && fallback != null && fallback.replicas() != 0) {
            // KEDA leaves the target to the HPA, which falls back after failureThreshold (never scale to 0 here:
            // the HPA would then stop, "implicit maintenance-mode deactivation").
            return HpaController.reconcile(new HpaController.Context(in, history, false, null, null));
        }
        if (anyError && fallback == null) {
            // KEDA only sets Ready=False; the HPA holds on failed metrics.
            return HpaController.reconcile(new HpaController.Context(in, history, false, null, null));
        }
        if ((idle != null && current > idle) || (current > 0 && min == 0)) {
            return scaleToZeroOrIdle(in, history);
        }
        if (current < min && idle == null) {
            return new ScaleDecision(min, current, Reason.ClampedToMin,
                    "no trigger active and current " + current + " is below minReplicaCount " + min, false, history);
        }
        return HpaController.reconcile(new HpaController.Context(in, history, false, null, null));
    }

    /**
     * {@code scaleToZeroOrIdle}: once cooldownPeriod has passed since lastActiveTime (or, never active,
     * initialCooldownPeriod since creation), go to idleReplicaCount, else minReplicaCount
     * ({@code getIdleOrMinimumReplicaCount}). Until then the HPA keeps running with minReplicas max(min, 1).
     */
    private static ScaleDecision scaleToZeroOrIdle(PolicyInput in, PolicyHistory history) {
        ScalingSettings s = in.settings();
        Instant now = in.now();
        Instant last = history.lastActiveTime();
        Instant coolEnds = last == null
                ? history.createdAt().plus(Duration.ofSeconds(s.initialCooldownPeriodSeconds()))
                : last.plus(Duration.ofSeconds(s.cooldownPeriodSeconds()));
        if (coolEnds.isBefore(now)) {
            int to = s.idleReplicaCount() != null ? s.idleReplicaCount() : s.minReplicaCount();
            return new ScaleDecision(to, in.currentReplicas(), Reason.Inactive,
                    "no trigger above its activationShardCount since " + (last == null ? "creation" : last)
                            + "; deactivating " + in.currentReplicas() + " -> " + to, false, history);
        }
        Reason hold = last == null ? Reason.InitialCooldownHold : Reason.CooldownHold;
        String message = (last == null ? "initialCooldownPeriod " + s.initialCooldownPeriodSeconds()
                : "cooldownPeriod " + s.cooldownPeriodSeconds()) + " s runs until " + coolEnds;
        return HpaController.reconcile(new HpaController.Context(in, history, false, hold, message));
    }

    /** The sidecar guard: a target that scales its own pods to zero can never scale them up again. */
    private static ScaleDecision sidecarFloor(ScaleDecision d) {
        if (d.desiredReplicas() >= 1) {
            return d;
        }
        return new ScaleDecision(1, d.currentReplicas(), Reason.SidecarFloor,
                d.reason() + " asked " + d.desiredReplicas() + " but the agent runs in the target's pods; keeping 1 ("
                        + d.message() + ")", d.active(), d.nextHistory());
    }

    static boolean isActive(TriggerReading r) {
        return isActive(r.value(), r.activationTarget());
    }

    /**
     * The activation rule, the one every stage asks (the policy, the metrics, KEDA's external scaler API, {@code check}):
     * KEDA's aws-dynamodb-streams scaler is active when its metric is above activationShardCount, strictly
     * (kedacore/keda pkg/scalers/aws_dynamodb_streams_scaler.go, GetMetricsAndActivity).
     */
    public static boolean isActive(double metricValue, double activationTarget) {
        return metricValue > activationTarget;
    }

    private static String activeTriggers(PolicyInput in) {
        return in.readings().stream().filter(r -> !r.failed() && isActive(r))
                .map(r -> r.triggerName() + " " + HpaController.formatNumber(r.value()) + " > " + r.activationTarget())
                .collect(Collectors.joining(", "));
    }

    private static String failures(List<TriggerReading> readings) {
        return readings.stream().filter(TriggerReading::failed)
                .map(r -> r.triggerName() + ": " + r.failure()).collect(Collectors.joining(", "));
    }
}
