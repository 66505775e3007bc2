package io.ddbstreamscaler.policy;

/** One HPA rate-limit policy (autoscaling/v2 HPAScalingPolicy): at most {@code value} pods or percent per {@code periodSeconds}. */
public record HpaScalingPolicy(Type type, int value, int periodSeconds) {
    public enum Type { PODS, PERCENT }
}
