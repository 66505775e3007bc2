package io.ddbstreamscaler.policy;

/**
 * The replica-related settings of one ScaledObject, with KEDA's defaults already applied by the trigger parser.
 *
 * @param idleReplicaCount null when unset
 * @param fallback         null when unset
 * @param behavior         null when {@code advanced.horizontalPodAutoscalerConfig.behavior} is unset (the HPA's nil-behavior path)
 * @param pausedReplicas   annotation {@code autoscaling.keda.sh/paused-replicas}, null when absent
 * @param paused           annotation {@code autoscaling.keda.sh/paused: "true"}
 */
public record ScalingSettings(int minReplicaCount, int maxReplicaCount, Integer idleReplicaCount,
                              int cooldownPeriodSeconds, int initialCooldownPeriodSeconds,
                              Fallback fallback, HpaBehavior behavior, Integer pausedReplicas, boolean paused) {

    /** KEDA's defaults: min 0, max 100, cooldown 300 s, no idle, no fallback, no behavior, not paused. */
    public static ScalingSettings kedaDefaults() {
        return new ScalingSettings(0, 100, null, 300, 0, null, null, null, false);
    }
}
