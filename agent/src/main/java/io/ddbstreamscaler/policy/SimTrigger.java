package io.ddbstreamscaler.policy;

/**
 * One trigger of a simulated ScaledObject: what the policy needs from a parsed {@code aws-dynamodb-streams} trigger.
 *
 * @param countClosedShards true for KEDA's count (every listed shard), false to count open shards only
 * @param leaseAware        the trigger reads a KCL lease table: its metric is the shards with work left
 */
public record SimTrigger(String metricName, MetricType metricType, long shardCount, long activationShardCount,
                         boolean countClosedShards, boolean leaseAware) {

    public SimTrigger(String metricName, MetricType metricType, long shardCount, long activationShardCount,
                      boolean countClosedShards) {
        this(metricName, metricType, shardCount, activationShardCount, countClosedShards, false);
    }
}
