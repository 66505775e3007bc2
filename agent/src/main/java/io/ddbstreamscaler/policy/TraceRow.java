package io.ddbstreamscaler.policy;

/**
 * One poll of a shard trace.
 *
 * @param seconds  seconds since the start of the trace
 * @param open     open shards (for a {@code seconds,shards} trace: the shard count; KEDA counts every listed shard)
 * @param closed   closed shards still listed (0 for a {@code seconds,shards} trace)
 * @param failed   the probe failed at this poll ({@code error} in the CSV)
 * @param finished of the closed shards, those the consumer finished (its KCL lease at SHARD_END); null when the trace
 *                 has no {@code finished} column
 */
public record TraceRow(long seconds, int open, int closed, boolean failed, Integer finished) {

    public TraceRow(long seconds, int open, int closed, boolean failed) {
        this(seconds, open, closed, failed, null);
    }

    public static TraceRow shards(long seconds, int shards) {
        return new TraceRow(seconds, shards, 0, false);
    }

    public static TraceRow failure(long seconds) {
        return new TraceRow(seconds, 0, 0, true);
    }

    /** The trigger's metric: open + closed (KEDA's count), or open only when countClosedShards is false. */
    public int metricValue(boolean countClosedShards) {
        return countClosedShards ? open + closed : open;
    }

    /** The trigger's metric: with kclLeaseTable the shards with work left (listed minus finished), else as above. */
    public int metricValue(SimTrigger trigger) {
        if (trigger.leaseAware()) {
            if (finished == null) {
                throw new IllegalStateException("the trace has no finished column for a kclLeaseTable trigger");
            }
            return open + closed - finished;
        }
        return metricValue(trigger.countClosedShards());
    }
}
