package io.ddbstreamscaler.simulator.aws;

import java.time.Instant;

/**
 * One stream shard. Closed once it has an ending sequence number; its children name it as their parent.
 *
 * @param closedAt when the shard closed (drives expiry after the retention), null while open
 */
public record SimShard(String shardId, String parentShardId, long startingSequenceNumber, Long endingSequenceNumber,
                       Instant closedAt) {

    public boolean isOpen() {
        return endingSequenceNumber == null;
    }

    SimShard close(long endingSequence, Instant at) {
        return new SimShard(shardId, parentShardId, startingSequenceNumber, endingSequence, at);
    }
}
