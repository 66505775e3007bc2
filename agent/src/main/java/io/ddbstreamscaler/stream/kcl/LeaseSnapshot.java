package io.ddbstreamscaler.stream.kcl;

import java.util.Map;

/**
 * One read of a KCL lease table: its leases by lease key.
 *
 * @param leases    by {@code leaseKey}
 * @param skipped   items without a string {@code leaseKey} (not leases; left out)
 * @param pages     Scan pages read
 */
public record LeaseSnapshot(Map<String, LeaseItem> leases, int skipped, int pages) {

    public LeaseSnapshot {
        leases = Map.copyOf(leases);
    }

    public LeaseItem lease(String shardId) {
        return leases.get(shardId);
    }
}
