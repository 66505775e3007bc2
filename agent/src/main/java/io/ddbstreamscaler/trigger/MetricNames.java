package io.ddbstreamscaler.trigger;

/** The external metric name KEDA gives a DynamoDB Streams trigger. */
final class MetricNames {

    private MetricNames() {
    }

    /**
     * {@code s{index}-aws-dynamodb-streams-{tableName}}, normalised as KEDA's {@code GenerateMetricNameWithIndex} and
     * {@code util.NormalizeString} do: each of {@code / . : % ( )} becomes '-'.
     */
    static String of(int triggerIndex, String tableName) {
        return "s" + triggerIndex + "-" + ("aws-dynamodb-streams-" + tableName).replaceAll("[/.:%()]", "-");
    }
}
