package io.ddbstreamscaler.policy;

/** How the HPA compares an external metric with its target (autoscaling/v2 MetricTargetType). */
public enum MetricType {
    /** value / target = replicas (KEDA's default for this scaler). */
    AVERAGE_VALUE("AverageValue"),
    /** current * value / target = replicas. */
    VALUE("Value");

    private final String keda;

    MetricType(String keda) {
        this.keda = keda;
    }

    /** The spelling KEDA and the HPA use in YAML. */
    public String keda() {
        return keda;
    }
}
