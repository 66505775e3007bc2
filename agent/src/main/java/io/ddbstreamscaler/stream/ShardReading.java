package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.stream.kcl.LeaseCount;

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
 * @param leases       what the consumer's KCL lease table says ({@code kclLeaseTable}); null without one
 */
public record ShardReading(String streamArn, String streamStatus, int total, int open, int closed, int awsCalls,
                           long latencyNanos, LeaseCount leases) {

    /** A reading without a lease table. */
    public ShardReading(String streamArn, String streamStatus, int total, int open, int closed, int awsCalls,
                        long latencyNanos) {
        this(streamArn, streamStatus, total, open, closed, awsCalls, latencyNanos, null);
    }

    /**
     * The trigger's metric: the shards with work left when the lease table was read ({@code kclLeaseTable}), else
     * {@code total} (KEDA), or {@code open} when {@code countClosedShards: false}.
     */
    public int metricValue(boolean countClosedShards) {
        if (leases != null) {
            return leases.workLeft();
        }
        return countClosedShards ? total : open;
    }

    /** Listed shards the consumer has finished; null without a lease table. */
    public Integer finished() {
        return leases == null ? null : leases.finished();
    }

    /** For the decision line after the shard counts: {@code " finished=4"}, or nothing without a lease table. */
    public String finishedNote() {
        return leases == null ? "" : " finished=" + leases.finished();
    }

    /** For the decision line after the metric: {@code " (KCL lease table …)"}, or nothing without a lease table. */
    public String leaseNote() {
        return leases == null ? "" : " (" + leases.describe() + ")";
    }
}
