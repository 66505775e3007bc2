package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.stream.kcl.LeaseCount;
import io.ddbstreamscaler.stream.kcl.LeaseSnapshot;
import io.ddbstreamscaler.stream.kcl.ListedShard;
import io.ddbstreamscaler.stream.kcl.WorkLeft;

import java.util.List;

/** The shard counts the {@code lease-aware} bench compares, each the metric a trigger would report. */
enum Counting {
    /** KEDA's: every listed shard (closed ones stay listed for 24 h). */
    KEDA("KEDA (every listed shard)"),
    /** {@code countClosedShards: "false"}. */
    OPEN_ONLY("open shards only"),
    /** {@code kclLeaseTable}: the shards with work left ({@link WorkLeft}). */
    LEASE_AWARE("lease-aware (kclLeaseTable)"),
    /** The rule without the children that wait for their parent: rejected, shown for why. */
    READABLE_ONLY("lease-aware without waiting children (rejected)");

    final String label;

    Counting(String label) {
        this.label = label;
    }

    int count(List<ListedShard> shards, LeaseSnapshot leases) {
        return switch (this) {
            case KEDA -> shards.size();
            case OPEN_ONLY -> (int) shards.stream().filter(s -> !s.closed()).count();
            case LEASE_AWARE -> WorkLeft.count("bench", shards, leases).workLeft();
            case READABLE_ONLY -> {
                LeaseCount c = WorkLeft.count("bench", shards, leases);
                yield c.workLeft() - c.waitingOnParent();
            }
        };
    }
}
