package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.MetricType;

import java.net.URI;

/**
 * One parsed {@code aws-dynamodb-stream(s)} trigger, defaults applied, validated.
 *
 * @param index       position in {@code spec.triggers} (KEDA's triggerIndex)
 * @param type        as written: {@code aws-dynamodb-stream} or {@code aws-dynamodb-streams}
 * @param name        {@code triggers[].name}, null when unset
 * @param awsEndpoint null when unset
 * @param metricName  {@code s{index}-aws-dynamodb-streams-{tableName}} with {@code / . : % ( )} turned into '-'
 * @param kclLeaseTable the consumer's KCL lease table ({@code kclLeaseTable}); null: shards are counted as KEDA does
 */
public record TriggerConfig(int index, String type, String name, MetricType metricType, String tableName,
                            String awsRegion, URI awsEndpoint, long shardCount, long activationShardCount,
                            IdentityOwner identityOwner, boolean countClosedShards, String metricName, AwsAuth auth,
                            KclLeaseTable kclLeaseTable) {

    /** A trigger without a lease table: the metric is KEDA's count (or open shards only). */
    public TriggerConfig(int index, String type, String name, MetricType metricType, String tableName,
                         String awsRegion, URI awsEndpoint, long shardCount, long activationShardCount,
                         IdentityOwner identityOwner, boolean countClosedShards, String metricName, AwsAuth auth) {
        this(index, type, name, metricType, tableName, awsRegion, awsEndpoint, shardCount, activationShardCount,
                identityOwner, countClosedShards, metricName, auth, null);
    }

    /** The same trigger read at another endpoint (a lease table without its own endpoint follows it). */
    public TriggerConfig withAwsEndpoint(URI endpoint) {
        return new TriggerConfig(index, type, name, metricType, tableName, awsRegion, endpoint, shardCount,
                activationShardCount, identityOwner, countClosedShards, metricName, auth, kclLeaseTable);
    }

    /** How the metric is counted: {@code leases} (kclLeaseTable), {@code total} (KEDA's) or {@code open}. */
    public String counting() {
        return kclLeaseTable != null ? "leases" : countClosedShards ? "total" : "open";
    }
}
