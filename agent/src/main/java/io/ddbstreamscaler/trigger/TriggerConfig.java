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
 */
public record TriggerConfig(int index, String type, String name, MetricType metricType, String tableName,
                            String awsRegion, URI awsEndpoint, long shardCount, long activationShardCount,
                            IdentityOwner identityOwner, boolean countClosedShards, String metricName, AwsAuth auth) {
}
