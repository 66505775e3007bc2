package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.HpaScalingPolicy.Type;
import io.ddbstreamscaler.policy.HpaScalingRules.SelectPolicy;

import java.util.List;

/**
 * Fills unset behavior fields the way the API server and the HPA controller do:
 * {@code kubernetes/kubernetes: pkg/apis/autoscaling/v2/defaults.go} ({@code GenerateHPAScaleUpRules},
 * {@code GenerateHPAScaleDownRules}) and {@code horizontal.go maybeInitScaleDownStabilizationWindow}.
 */
final class HpaDefaults {

    /** Scale-up: no stabilization; 4 pods or 100 % per 15 s, whichever is more. */
    static final HpaScalingRules SCALE_UP = new HpaScalingRules(0, SelectPolicy.MAX, List.of(
            new HpaScalingPolicy(Type.PODS, 4, 15),
            new HpaScalingPolicy(Type.PERCENT, 100, 15)));

    /**
     * Scale-down: 100 % per 15 s; the window is left nil by the API defaults and set by the controller to its
     * {@code --horizontal-pod-autoscaler-downscale-stabilization} (300 s).
     */
    static final HpaScalingRules SCALE_DOWN = new HpaScalingRules(
            (int) HpaStabilization.DOWNSCALE_STABILIZATION_WINDOW.toSeconds(), SelectPolicy.MAX, List.of(
            new HpaScalingPolicy(Type.PERCENT, 100, 15)));

    private HpaDefaults() {
    }

    static HpaScalingRules scaleUp(HpaScalingRules rules) {
        return fill(rules, SCALE_UP);
    }

    static HpaScalingRules scaleDown(HpaScalingRules rules) {
        return fill(rules, SCALE_DOWN);
    }

    private static HpaScalingRules fill(HpaScalingRules rules, HpaScalingRules defaults) {
        if (rules == null) {
            return defaults;
        }
        return new HpaScalingRules(
                rules.stabilizationWindowSeconds() != null ? rules.stabilizationWindowSeconds() : defaults.stabilizationWindowSeconds(),
                rules.selectPolicy() != null ? rules.selectPolicy() : defaults.selectPolicy(),
                rules.policies() != null ? rules.policies() : defaults.policies());
    }
}
