package io.ddbstreamscaler.tools;

import io.ddbstreamscaler.simulator.aws.AwsState;
import io.ddbstreamscaler.stream.kcl.LeaseItem;
import io.ddbstreamscaler.stream.kcl.LeaseSnapshot;
import io.ddbstreamscaler.stream.kcl.ListedShard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The AWS simulator's shards and lease table as the agent's lease-aware count reads them, without HTTP. */
public final class SimulatedLeases {

    private SimulatedLeases() {
    }

    public static List<ListedShard> shards(AwsState state, String table) {
        return state.stream(table).shards().stream()
                .map(s -> new ListedShard(s.shardId(), s.parentShardId(), !s.isOpen())).toList();
    }

    /** The lease table as a Scan projecting leaseKey, checkpoint and leaseOwner returns it. */
    public static LeaseSnapshot leases(AwsState state, String leaseTable) {
        Map<String, LeaseItem> leases = new HashMap<>();
        for (var item : state.items(leaseTable)) {
            String key = (String) item.get("leaseKey").get("S");
            var checkpoint = item.get("checkpoint");
            var owner = item.get("leaseOwner");
            leases.put(key, new LeaseItem(key, checkpoint == null ? null : (String) checkpoint.get("S"),
                    owner == null ? null : (String) owner.get("S")));
        }
        return new LeaseSnapshot(leases, 0, 1);
    }
}
