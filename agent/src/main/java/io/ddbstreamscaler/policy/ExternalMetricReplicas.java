package io.ddbstreamscaler.policy;

/**
 * The replica count the HPA asks for from one external metric, as
 * {@code kubernetes/kubernetes: pkg/controller/podautoscaler/replica_calculator.go} computes it.
 */
final class ExternalMetricReplicas {

    /** The HPA's default tolerance ({@code --horizontal-pod-autoscaler-tolerance}, 0.1). */
    static final double TOLERANCE = 0.1;

    /**
     * The proposal for one metric, and whether the tolerance kept the current count.
     *
     * @param replicas        what the HPA proposes: {@code ask}, or the current count within the tolerance
     * @param withinTolerance the usage ratio is within {@link #TOLERANCE} of 1, so the count is kept
     * @param ask             the count the metric asks for before the tolerance (the decision line states it)
     * @param usageRatio      the ratio the tolerance is applied to
     */
    record Proposal(int replicas, boolean withinTolerance, int ask, double usageRatio) {
    }

    private ExternalMetricReplicas() {
    }

    static Proposal proposal(MetricType type, double value, long target, int currentReplicas) {
        return type == MetricType.AVERAGE_VALUE
                ? averageValue(value, target, currentReplicas)
                : value(value, target, currentReplicas);
    }

    /**
     * {@code GetExternalPerPodMetricReplicas}: the usage ratio is value / (target x current); outside the tolerance the
     * proposal is ceil(value / target). With 0 replicas the ratio is infinite (or NaN for 0/0, which keeps 0), as in Go.
     */
    static Proposal averageValue(double value, long target, int currentReplicas) {
        double usageRatio = value / ((double) target * currentReplicas);
        int ask = (int) Math.ceil(value / target);
        if (Math.abs(1.0 - usageRatio) > TOLERANCE) {
            return new Proposal(ask, false, ask, usageRatio);
        }
        return new Proposal(currentReplicas, true, ask, usageRatio);
    }

    /**
     * {@code GetExternalMetricReplicas} and {@code getUsageRatioReplicaCount}: the usage ratio is value / target;
     * within the tolerance keep the count; otherwise ceil(ratio x ready pods) (every current pod is taken as
     * ready: the agent does not list pods), or ceil(ratio) from 0 replicas.
     */
    static Proposal value(double value, long target, int currentReplicas) {
        double usageRatio = value / target;
        if (currentReplicas == 0) {
            int ask = (int) Math.ceil(usageRatio);
            return new Proposal(ask, false, ask, usageRatio);
        }
        int ask = (int) Math.ceil(usageRatio * currentReplicas);
        if (Math.abs(1.0 - usageRatio) <= TOLERANCE) {
            return new Proposal(currentReplicas, true, ask, usageRatio);
        }
        return new Proposal(ask, false, ask, usageRatio);
    }
}
