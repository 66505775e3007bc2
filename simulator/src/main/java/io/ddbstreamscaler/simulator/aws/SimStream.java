package io.ddbstreamscaler.simulator.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One table stream: its ARN, status and shard tree. Shard ids grow monotonically, so DescribeStream can page in id
 * order and resume after an ExclusiveStartShardId even when that shard has since expired. Guarded by AwsState.
 */
final class SimStream {

    final String arn;
    final String label;
    final String tableName;
    final Instant createdAt;
    String status = "ENABLED";
    private final NavigableMap<String, SimShard> shards = new TreeMap<>();
    private long nextShard;
    private long nextSequence = 100;

    SimStream(String arn, String label, String tableName, Instant createdAt) {
        this.arn = arn;
        this.label = label;
        this.tableName = tableName;
        this.createdAt = createdAt;
    }

    SimShard open(String parentId) {
        String id = String.format("shardId-%020d-%08x", ++nextShard, arn.hashCode() & 0xffffffffL);
        SimShard s = new SimShard(id, parentId, nextSequence, null, null);
        nextSequence += 100;
        shards.put(id, s);
        return s;
    }

    /** Closes an open shard and opens {@code children} shards whose parent it is (AWS splits into two). */
    List<SimShard> split(String shardId, int children, Instant now) {
        SimShard parent = shards.get(shardId);
        if (parent == null || !parent.isOpen()) {
            throw new IllegalArgumentException("no open shard " + shardId + " in stream " + arn);
        }
        shards.put(shardId, parent.close(nextSequence++, now));
        List<SimShard> opened = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            opened.add(open(shardId));
        }
        return opened;
    }

    /** Drops closed shards older than the retention (DynamoDB Streams keeps records 24 hours). */
    int expire(Instant now, Duration retention) {
        List<String> gone = shards.values().stream()
                .filter(s -> !s.isOpen() && !s.closedAt().plus(retention).isAfter(now))
                .map(SimShard::shardId).toList();
        gone.forEach(shards::remove);
        return gone.size();
    }

    /** Up to {@code limit} shards after {@code exclusiveStart} (null: from the first). */
    List<SimShard> page(String exclusiveStart, int limit) {
        var tail = exclusiveStart == null ? shards : shards.tailMap(exclusiveStart, false);
        return tail.values().stream().limit(limit).toList();
    }

    /** Whether shards follow {@code shardId}. */
    boolean hasAfter(String shardId) {
        return shards.higherKey(shardId) != null;
    }

    List<SimShard> shards() {
        return List.copyOf(shards.values());
    }

    List<SimShard> openShards() {
        return shards.values().stream().filter(SimShard::isOpen).toList();
    }
}
