package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.ExternalMetricReplicas.Proposal;
import io.ddbstreamscaler.policy.HpaRateLimits.Limited;
import io.ddbstreamscaler.policy.HpaStabilization.Stabilized;
import io.ddbstreamscaler.policy.ScaleDecision.Reason;

import java.time.Instant;
import java.util.List;

/**
 * The part of one decision the HPA that KEDA creates would make: {@code reconcileAutoscaler} in
 * {@code kubernetes/kubernetes: pkg/controller/podautoscaler/horizontal.go}, fed with KEDA's external metrics
 * (and KEDA's fallback metric, {@code kedacore/keda: pkg/fallback/fallback.go}). The HPA's minReplicas is
 * max(minReplicaCount, 1), as KEDA's {@code getHPAMinReplicas} sets it.
 */
final class HpaController {

    /** Why the count would be held if the HPA keeps it: a KEDA cooldown still running, or null. */
    record Context(PolicyInput in, PolicyHistory history, boolean active, Reason holdReason, String holdMessage) {
    }

    /** The metrics' verdict: the largest proposal, or an error (too many failed metrics). */
    private record MetricsResult(int replicas, TriggerReading winner, Proposal proposal, double value,
                                 boolean withinTolerance, boolean fellBack, int invalid, String error) {
    }

    private HpaController() {
    }

    static ScaleDecision reconcile(Context ctx) {
        PolicyInput in = ctx.in();
        ScalingSettings s = in.settings();
        Instant now = in.now();
        int current = in.currentReplicas();
        int min = Math.max(s.minReplicaCount(), 1);
        int max = s.maxReplicaCount();
        PolicyHistory history = ctx.history().withRecommendations(
                HpaStabilization.recordInitial(ctx.history().recommendations(), current, now));

        if (current == 0) {
            // "scaling is disabled since the replica count of the target is zero": KEDA alone scales from 0
            Reason reason = ctx.holdReason() != null ? ctx.holdReason() : Reason.Inactive;
            String message = ctx.holdMessage() != null ? ctx.holdMessage() : "at 0 replicas and no trigger active";
            return new ScaleDecision(0, 0, reason, message, ctx.active(), history);
        }
        if (current > max) {
            return rescaled(ctx, history, max, Reason.ClampedToMax,
                    "current " + current + " is above maxReplicaCount " + max);
        }
        if (current < min) {
            return rescaled(ctx, history, min, Reason.ClampedToMin,
                    "current " + current + " is below the HPA's minReplicas " + min);
        }

        MetricsResult metrics = computeReplicasForMetrics(in, history);
        if (metrics.error() != null) {
            return new ScaleDecision(current, current, Reason.ProbeFailedHold, metrics.error() + "; holding " + current,
                    ctx.active(), history);
        }

        int prenormalized = metrics.replicas();
        Stabilized stabilized;
        Limited limited;
        HpaBehavior behavior = s.behavior();
        if (behavior == null) {
            stabilized = HpaStabilization.withoutBehavior(history.recommendations(), prenormalized, now);
            limited = HpaRateLimits.withRules(current, stabilized.replicas(), min, max);
        } else {
            HpaScalingRules up = HpaDefaults.scaleUp(behavior.scaleUp());
            HpaScalingRules down = HpaDefaults.scaleDown(behavior.scaleDown());
            stabilized = HpaStabilization.withBehavior(history.recommendations(), current, prenormalized,
                    up.stabilizationWindowSeconds(), down.stabilizationWindowSeconds(), now);
            limited = HpaRateLimits.withBehaviorRate(current, stabilized.replicas(), min, max, up, down,
                    history.scaleUpEvents(), history.scaleDownEvents(), now);
        }
        history = history.withRecommendations(stabilized.recommendations());
        int desired = limited.replicas();
        if (desired != current) {
            history = storeScaleEvent(history, behavior, current, desired, now);
        }
        Reason reason = reason(ctx, metrics, prenormalized, stabilized.replicas(), limited, current);
        String message = describe(metrics, current) + "; " + explain(reason, metrics, current, stabilized.replicas(),
                desired, ctx);
        return new ScaleDecision(desired, current, reason, message, ctx.active(), history);
    }

    /**
     * {@code computeReplicasForMetrics}: the largest proposal wins; "if all metrics are invalid or some are invalid
     * and we would scale down", return an error and do not scale. A failing trigger whose fallback applies reports
     * {@code fallback.replicas x target} instead (KEDA {@code doFallback}), which the HPA turns into fallback.replicas.
     */
    private static MetricsResult computeReplicasForMetrics(PolicyInput in, PolicyHistory history) {
        int current = in.currentReplicas();
        int replicas = 0;
        TriggerReading winner = null;
        Proposal winning = null;
        double winningValue = 0;
        boolean withinTolerance = false;
        boolean fellBack = false;
        int invalid = 0;
        TriggerReading firstInvalid = null;
        for (TriggerReading r : in.readings()) {
            double value;
            boolean fallback = false;
            if (!r.failed()) {
                value = r.value();
            } else if (fallbackApplies(in.settings().fallback(), r, history)) {
                value = (double) in.settings().fallback().replicas() * r.target();
                fallback = true;
            } else {
                if (invalid == 0) {
                    firstInvalid = r;
                }
                invalid++;
                continue;
            }
            Proposal p = ExternalMetricReplicas.proposal(r.metricType(), value, r.target(), current);
            if (winner == null || p.replicas() > replicas) {
                replicas = p.replicas();
                winner = r;
                winning = p;
                winningValue = value;
                withinTolerance = p.withinTolerance();
                fellBack = fallback;
            }
        }
        String error = null;
        if (invalid >= in.readings().size() || (invalid > 0 && replicas < current)) {
            error = "invalid metrics (" + invalid + " invalid out of " + in.readings().size() + "), first error is: "
                    + firstInvalid.triggerName() + ": " + firstInvalid.failure()
                    + " (failure " + history.consecutiveFailures(firstInvalid.triggerName()) + ")";
        }
        return new MetricsResult(replicas, winner, winning, winningValue, withinTolerance, fellBack, invalid, error);
    }

    /**
     * {@code fallback.GetMetricsWithFallback}: only with a valid fallback, only for AverageValue metrics
     * ({@code isFallbackEnabled}), and only after more than failureThreshold consecutive failures.
     */
    static boolean fallbackApplies(Fallback fallback, TriggerReading r, PolicyHistory history) {
        return fallback != null
                && r.metricType() == MetricType.AVERAGE_VALUE
                && fallback.failureThreshold() >= 0 && fallback.replicas() >= 0
                && history.consecutiveFailures(r.triggerName()) > fallback.failureThreshold();
    }

    /** {@code storeScaleEvent}: with no behavior "we should not store any event as they will not be used". */
    private static PolicyHistory storeScaleEvent(PolicyHistory h, HpaBehavior behavior, int prev, int next, Instant now) {
        if (behavior == null) {
            return h;
        }
        if (next > prev) {
            return h.withScaleEvents(HpaRateLimits.store(h.scaleUpEvents(), next - prev,
                    HpaDefaults.scaleUp(behavior.scaleUp()), now), h.scaleDownEvents());
        }
        return h.withScaleEvents(h.scaleUpEvents(), HpaRateLimits.store(h.scaleDownEvents(), prev - next,
                HpaDefaults.scaleDown(behavior.scaleDown()), now));
    }

    /** The HPA's own rescale when current is outside [min, max]: a scale event is recorded like any other. */
    private static ScaleDecision rescaled(Context ctx, PolicyHistory h, int desired, Reason reason, String message) {
        PolicyHistory next = storeScaleEvent(h, ctx.in().settings().behavior(), ctx.in().currentReplicas(), desired,
                ctx.in().now());
        return new ScaleDecision(desired, ctx.in().currentReplicas(), reason, message, ctx.active(), next);
    }

    private static Reason reason(Context ctx, MetricsResult m, int prenormalized, int stabilized, Limited limited,
                                 int current) {
        if (limited.replicas() == current && ctx.holdReason() != null) {
            // KEDA's cooldown is why the count is not going to zero (or idle); the message keeps the HPA's part.
            return ctx.holdReason();
        }
        if (limited.replicas() != stabilized) {
            return switch (limited.condition()) {
                case HpaRateLimits.SCALE_UP_LIMIT -> Reason.RateLimitedUp;
                case HpaRateLimits.TOO_MANY_REPLICAS -> Reason.ClampedToMax;
                case HpaRateLimits.SCALE_DOWN_LIMIT -> Reason.RateLimitedDown;
                default -> Reason.ClampedToMin;
            };
        }
        if (stabilized != prenormalized) {
            return prenormalized >= current ? Reason.StabilizedUp : Reason.StabilizedDown;
        }
        if (m.fellBack()) {
            return Reason.Fallback;
        }
        if (limited.replicas() > current) {
            return Reason.ScaleUp;
        }
        if (limited.replicas() < current) {
            return Reason.ScaleDown;
        }
        return m.withinTolerance() ? Reason.WithinTolerance : Reason.NoChange;
    }

    /**
     * What the winning metric asks before the tolerance, and how: {@code 13 shards at target 2 (AverageValue) asks 7
     * (13/2)}. Within the tolerance the HPA keeps the count, but the ask is still the metric's: saying "asks 6" there
     * read like a rounding bug.
     */
    private static String describe(MetricsResult m, int current) {
        TriggerReading w = m.winner();
        String value = m.fellBack()
                ? "failing " + w.failure() + ", fallback"
                : formatNumber(w.value()) + " shards";
        return w.triggerName() + " " + value + " at target " + w.target() + " (" + w.metricType().keda()
                + ") asks " + m.proposal().ask() + " (" + askFormula(w.metricType(), m.value(), w.target(), current) + ")"
                + (m.invalid() > 0 ? " (" + m.invalid() + " trigger(s) failing)" : "");
    }

    /** ceil(value / target) for AverageValue; ceil(value / target x current) for Value (see ExternalMetricReplicas). */
    private static String askFormula(MetricType type, double value, long target, int current) {
        String ratio = formatNumber(value) + "/" + target;
        return type == MetricType.AVERAGE_VALUE ? ratio : ratio + " x " + current;
    }

    /** The ratio the tolerance compares with 1: value / (target x current) for AverageValue, value / target for Value. */
    private static String usageRatio(MetricsResult m, int current) {
        TriggerReading w = m.winner();
        String ratio = w.metricType() == MetricType.AVERAGE_VALUE
                ? formatNumber(m.value()) + "/(" + w.target() + " x " + current + ")"
                : formatNumber(m.value()) + "/" + w.target();
        return ratio + " = " + String.format(java.util.Locale.ROOT, "%.2f", m.proposal().usageRatio());
    }

    private static String explain(Reason reason, MetricsResult m, int current, int stabilized, int desired,
                                  Context ctx) {
        return switch (reason) {
            case StabilizedUp, StabilizedDown -> "stabilization window holds " + stabilized + "; " + current + " -> " + desired;
            case RateLimitedUp, RateLimitedDown -> "rate limit allows " + desired + "; " + current + " -> " + desired;
            case ClampedToMax -> "maxReplicaCount caps it; " + current + " -> " + desired;
            case ClampedToMin -> "minReplicas raises it; " + current + " -> " + desired;
            case WithinTolerance -> usageRatio(m, current) + " is within the " + ExternalMetricReplicas.TOLERANCE
                    + " tolerance: keeping " + current;
            case CooldownHold, InitialCooldownHold -> ctx.holdMessage() + "; the HPA keeps " + stabilized + "; keeping " + current;
            default -> current + " -> " + desired;
        };
    }

    static String formatNumber(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
