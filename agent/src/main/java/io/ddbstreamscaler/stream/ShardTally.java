package io.ddbstreamscaler.stream;

import software.amazon.awssdk.services.dynamodb.model.Shard;

import java.util.List;

/** Running counts over DescribeStream pages: a shard is open until it has an EndingSequenceNumber. */
record ShardTally(int open, int closed) {

    static final ShardTally EMPTY = new ShardTally(0, 0);

    ShardTally plus(List<Shard> shards) {
        int o = open;
        int c = closed;
        for (Shard s : shards) {
            boolean isClosed = s.sequenceNumberRange() != null && s.sequenceNumberRange().endingSequenceNumber() != null;
            if (isClosed) {
                c++;
            } else {
                o++;
            }
        }
        return new ShardTally(o, c);
    }

    int total() {
        return open + closed;
    }
}
