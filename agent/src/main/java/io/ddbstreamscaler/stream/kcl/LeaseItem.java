package io.ddbstreamscaler.stream.kcl;

/**
 * The attributes of one KCL lease item that the count reads, as KCL 2.x and 3.x write them in single-stream mode
 * ({@code DynamoDBLeaseSerializer} in awslabs/amazon-kinesis-client): {@code leaseKey} (S, the hash key: the shard
 * id), {@code checkpoint} (S: a sequence number or a sentinel such as {@code SHARD_END}), {@code leaseOwner} (S,
 * absent while no worker holds the lease). Every other attribute (leaseCounter, parentShardId, childShardIds, and KCL
 * 3's throughputKBps, checkpointOwner, startingHashKey, ...) is left unread.
 *
 * @param leaseKey   the shard id
 * @param checkpoint null when the item has none (counted as not finished)
 * @param owner      the worker holding the lease, null when none does
 */
public record LeaseItem(String leaseKey, String checkpoint, String owner) {

    /** The checkpoint KCL writes once a shard has been read to its end. */
    public static final String SHARD_END = "SHARD_END";
    /** Where KCL starts a lease it created for a child shard: nothing of it read yet. */
    public static final String TRIM_HORIZON = "TRIM_HORIZON";
    /** Where a lease created at a timestamp starts: nothing of it read yet either. */
    public static final String AT_TIMESTAMP = "AT_TIMESTAMP";

    public boolean finished() {
        return SHARD_END.equals(checkpoint);
    }

    /**
     * The consumer has begun this shard: KCL's own test before it deletes a finished parent's lease
     * ({@code LeaseCleanupManager}: every child's checkpoint is neither TRIM_HORIZON nor AT_TIMESTAMP).
     */
    public boolean started() {
        return checkpoint != null && !TRIM_HORIZON.equals(checkpoint) && !AT_TIMESTAMP.equals(checkpoint);
    }
}
