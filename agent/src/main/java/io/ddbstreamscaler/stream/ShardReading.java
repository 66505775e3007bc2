package io.ddbstreamscaler.stream;

/**
 * One count of a table's stream shards.
 *
 * @param streamArn    the stream's ARN (DescribeTable's LatestStreamArn)
 * @param streamStatus ENABLED, ENABLING, DISABLING or DISABLED
 * @param total        every shard DescribeStream lists (KEDA's count: closed shards stay listed for 24 h)
 * @param open         shards without an EndingSequenceNumber
 * @param closed       shards with one
 * @param awsCalls     AWS API calls this count took (DescribeTable + DescribeStream pages + retries)
 * @param latencyNanos wall time the count took
 */
public record ShardReading(String streamArn, String streamStatus, int total, int open, int closed, int awsCalls,
                           long latencyNanos) {

    /** The trigger's metric: {@code total} (KEDA), or {@code open} when {@code countClosedShards: false}. */
    public int metricValue(boolean countClosedShards) {
        return countClosedShards ? total : open;
    }
}
