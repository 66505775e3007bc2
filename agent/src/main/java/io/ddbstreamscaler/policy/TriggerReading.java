package io.ddbstreamscaler.policy;

/**
 * One trigger's reading for one poll: either a metric value, or a failure (value null, failure set).
 *
 * @param triggerName      the metric name, for messages
 * @param metricType       AverageValue or Value
 * @param target           {@code shardCount} (>= 1)
 * @param activationTarget {@code activationShardCount} (>= 0)
 * @param value            the metric value (shards), null when the probe failed
 * @param failure          a short description of the failure, null when the probe succeeded
 */
public record TriggerReading(String triggerName, MetricType metricType, long target, long activationTarget,
                             Double value, String failure) {

    public static TriggerReading of(String name, MetricType type, long target, long activationTarget, double value) {
        return new TriggerReading(name, type, target, activationTarget, value, null);
    }

    public static TriggerReading failed(String name, MetricType type, long target, long activationTarget, String failure) {
        return new TriggerReading(name, type, target, activationTarget, null, failure);
    }

    public boolean failed() {
        return value == null;
    }
}
