package io.ddbstreamscaler.policy;

/**
 * What the policy decided for one poll of one ScaledObject.
 *
 * @param desiredReplicas the replica count to set (equal to {@code currentReplicas} when holding)
 * @param currentReplicas the replica count the decision started from
 * @param reason          a machine reason, stable for logs and metrics labels
 * @param message         one human line saying why
 * @param active          KEDA's activity: some trigger's value is above its {@code activationShardCount}
 * @param nextHistory     the history to pass to the next decision
 */
public record ScaleDecision(int desiredReplicas, int currentReplicas, Reason reason, String message, boolean active,
                           PolicyHistory nextHistory) {

    /**
     * Machine reasons. The names follow the conditions of the HPA controller and the KEDA executor where one exists
     * (ScaleUpLimit becomes RateLimitedUp, TooManyReplicas ClampedToMax, ScaleDownStabilized StabilizedDown, ...).
     */
    public enum Reason {
        /** The metrics ask for more replicas and nothing limits the step. */
        ScaleUp,
        /** The metrics ask for fewer replicas and nothing limits the step. */
        ScaleDown,
        /** Every trigger's usage ratio is within the HPA's 0.1 tolerance of 1: keep the count. */
        WithinTolerance,
        /** The recommendation equals the current count. */
        NoChange,
        /** A lower recent recommendation (scale-up stabilization window) held the count down. */
        StabilizedUp,
        /** A higher recent recommendation (scale-down stabilization window) held the count up. */
        StabilizedDown,
        /** The scale-up rate (policies, or max(2 x current, 4) without behavior) limited the step. */
        RateLimitedUp,
        /** The scale-down policies limited the step. */
        RateLimitedDown,
        /** maxReplicaCount limited the count. */
        ClampedToMax,
        /** max(minReplicaCount, 1) (or minReplicaCount while inactive) raised the count. */
        ClampedToMin,
        /** KEDA scaled from zero (or idle) because a trigger became active. */
        Activated,
        /** KEDA scaled to idleReplicaCount or zero: no trigger active for cooldownPeriod. */
        Inactive,
        /** No trigger active, but cooldownPeriod since the last activity has not passed. */
        CooldownHold,
        /** Never active yet, and initialCooldownPeriod since creation has not passed. */
        InitialCooldownHold,
        /** A failing trigger's metric was replaced by fallback.replicas. */
        Fallback,
        /** autoscaling.keda.sh/paused or paused-replicas is set. */
        Paused,
        /** A probe failed: the count is held (never moved by a failure). */
        ProbeFailedHold,
        /** The sidecar guard kept the count at 1 where the rules asked for 0. */
        SidecarFloor
    }

    /** True when the decision asks to change the replica count. */
    public boolean changes() {
        return desiredReplicas != currentReplicas;
    }
}
