package io.ddbstreamscaler.policy;

import java.util.List;

/**
 * One direction of the HPA behavior (autoscaling/v2 HPAScalingRules). A null field means "unset" and is
 * filled with the HPA's default for its direction by the policy, as the API server's defaulting does.
 */
public record HpaScalingRules(Integer stabilizationWindowSeconds, SelectPolicy selectPolicy, List<HpaScalingPolicy> policies) {
    public enum SelectPolicy { MAX, MIN, DISABLED }

    public HpaScalingRules {
        policies = policies == null ? null : List.copyOf(policies);
    }
}
