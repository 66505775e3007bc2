package io.ddbstreamscaler.stream.kcl;

import java.util.Map;

/**
 * What {@link WorkLeft} made of one DescribeStream listing and one read of the lease table.
 *
 * @param table              the lease table read
 * @param workLeft           listed shards not finished: the metric
 * @param finished           listed shards the consumer has read to their end
 * @param waitingOnParent    of {@code workLeft}: shards whose listed parent is not finished (KCL reads them next)
 * @param withoutLease       of {@code workLeft}: shards with no lease yet (KCL has not synced them)
 * @param finishedUnleased   of {@code finished}: shards whose lease KCL already deleted, known finished from a child
 * @param unlistedLeases     leases naming no listed shard (a shard DynamoDB no longer lists): not counted
 * @param leasesRead         leases in the table
 * @param byWorker           leases of shards with work left, by {@code leaseOwner}
 * @param unowned            leases of shards with work left that no worker holds
 * @param snapshotAgeSeconds age of the lease read when the count was made (0: read for this count)
 */
public record LeaseCount(String table, int workLeft, int finished, int waitingOnParent, int withoutLease,
                         int finishedUnleased, int unlistedLeases, int leasesRead, Map<String, Integer> byWorker,
                         int unowned, long snapshotAgeSeconds) {

    public LeaseCount {
        byWorker = Map.copyOf(byWorker);
    }

    /** Workers holding at least one lease of a shard with work left. */
    public int workers() {
        return byWorker.size();
    }

    /** The most leases of shards with work left on one worker (0 when none is held). */
    public int maxPerWorker() {
        return byWorker.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Leases were read, yet none names a listed shard: the table is likely another consumer's (or multi-stream). */
    public boolean noLeaseMatches() {
        return leasesRead > 0 && unlistedLeases == leasesRead;
    }

    public LeaseCount withSnapshotAge(long seconds) {
        return new LeaseCount(table, workLeft, finished, waitingOnParent, withoutLease, finishedUnleased,
                unlistedLeases, leasesRead, byWorker, unowned, seconds);
    }

    /**
     * How the count was made, for the decision line, {@code check} and the status, e.g.
     * {@code KCL lease table orders-app: 4 finished, 2 waiting on a parent, 1 without a lease, 3 workers (at most 2
     * leases on one)}. Commas only: the decision line separates triggers with semicolons.
     */
    public String describe() {
        StringBuilder s = new StringBuilder("KCL lease table ").append(table).append(": ").append(finished)
                .append(" finished");
        if (waitingOnParent > 0) {
            s.append(", ").append(waitingOnParent).append(" waiting on a parent");
        }
        if (withoutLease > 0) {
            s.append(", ").append(withoutLease).append(" without a lease");
        }
        s.append(", ").append(workers()).append(workers() == 1 ? " worker" : " workers");
        if (workers() > 0) {
            s.append(" (at most ").append(maxPerWorker()).append(maxPerWorker() == 1 ? " lease" : " leases")
                    .append(" on one)");
        }
        if (unowned > 0) {
            s.append(", ").append(unowned).append(" leases unowned");
        }
        if (snapshotAgeSeconds > 0) {
            s.append(", leases read ").append(snapshotAgeSeconds).append(" s ago");
        }
        if (noLeaseMatches()) {
            s.append(", none of its ").append(leasesRead).append(" leases names a listed shard: is it this stream's"
                    + " consumer, in single-stream mode?");
        }
        return s.toString();
    }
}
