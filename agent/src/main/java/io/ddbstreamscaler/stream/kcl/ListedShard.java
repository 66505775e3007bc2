package io.ddbstreamscaler.stream.kcl;

/**
 * A shard as DescribeStream lists it.
 *
 * @param parentShardId null for a shard without a parent (or whose parent is no longer listed)
 * @param closed        it has an EndingSequenceNumber: no new records arrive, it can be read to its end
 */
public record ListedShard(String shardId, String parentShardId, boolean closed) {
}
