package io.ddbstreamscaler.policy;

/** {@code advanced.horizontalPodAutoscalerConfig.behavior}: either side may be null (HPA defaults apply). */
public record HpaBehavior(HpaScalingRules scaleUp, HpaScalingRules scaleDown) {
}
