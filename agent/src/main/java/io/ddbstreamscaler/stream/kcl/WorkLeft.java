package io.ddbstreamscaler.stream.kcl;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lease-aware count: of the shards DescribeStream lists, those a KCL consumer has not finished. Pure; the rule, in
 * full (README, "kclLeaseTable"):
 * <ol>
 *   <li>A listed shard whose lease's checkpoint is {@code SHARD_END} is <b>finished</b>: not counted.</li>
 *   <li>A listed shard whose lease has any other checkpoint has <b>work left</b>: counted.</li>
 *   <li>A listed shard with no lease has work left too (KCL has not synced it: KCL 2.x and 3.x create a child's lease
 *       when its parent reaches SHARD_END), unless the consumer has <b>started one of its children</b>: a child lease
 *       whose checkpoint is neither TRIM_HORIZON nor AT_TIMESTAMP, or a child itself finished by this rule. KCL starts
 *       a child only after its parent reached SHARD_END, and deletes a finished lease once its children have started
 *       ({@code LeaseCleanupManager}), so such a shard is finished and its lease cleaned up. A consumer that started
 *       at LATEST never leased the older shards: they have started children too.</li>
 *   <li>So a child whose parent is not finished <b>counts</b>. KCL will not read it until the parent reaches
 *       SHARD_END, but it is work still to do, and it becomes readable the moment its parent ends: sooner than a
 *       poll and a pod start could add the replica it then needs. Counting it keeps that replica ready, so a
 *       readable shard never waits for a worker (bench {@code lease-aware}: the rule without it makes shards wait).</li>
 *   <li>A lease naming no listed shard (its shard is past DynamoDB's 24 h, or another stream's) is not counted.</li>
 * </ol>
 * So the count is never above KEDA's (every listed shard) and never below the open shards (an open shard is never
 * finished).
 */
public final class WorkLeft {

    private WorkLeft() {
    }

    public static LeaseCount count(String table, List<ListedShard> shards, LeaseSnapshot leases) {
        Map<String, ListedShard> byId = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (ListedShard s : shards) {
            byId.put(s.shardId(), s);
        }
        for (ListedShard s : shards) {
            if (s.parentShardId() != null && byId.containsKey(s.parentShardId())) {
                children.computeIfAbsent(s.parentShardId(), k -> new java.util.ArrayList<>()).add(s.shardId());
            }
        }
        Lineage lineage = new Lineage(byId, children, leases);
        int workLeft = 0;
        int finished = 0;
        int waitingOnParent = 0;
        int withoutLease = 0;
        int finishedUnleased = 0;
        int unowned = 0;
        Map<String, Integer> byWorker = new HashMap<>();
        for (ListedShard s : shards) {
            LeaseItem lease = leases.lease(s.shardId());
            if (lineage.finished(s.shardId())) {
                finished++;
                finishedUnleased += lease == null ? 1 : 0;
                continue;
            }
            workLeft++;
            if (lease == null) {
                withoutLease++;
            } else if (lease.owner() == null) {
                unowned++;
            } else {
                byWorker.merge(lease.owner(), 1, Integer::sum);
            }
            if (s.parentShardId() != null && byId.containsKey(s.parentShardId())
                    && !lineage.finished(s.parentShardId())) {
                waitingOnParent++;
            }
        }
        int unlisted = (int) leases.leases().keySet().stream().filter(k -> !byId.containsKey(k)).count();
        return new LeaseCount(table, workLeft, finished, waitingOnParent, withoutLease, finishedUnleased, unlisted,
                leases.leases().size(), byWorker, unowned, 0);
    }

    /** finished/started over the listed lineage, each shard decided once. */
    private static final class Lineage {
        private final Map<String, ListedShard> byId;
        private final Map<String, List<String>> children;
        private final LeaseSnapshot leases;
        private final Map<String, Boolean> finished = new HashMap<>();
        private final Set<String> deciding = new HashSet<>();

        Lineage(Map<String, ListedShard> byId, Map<String, List<String>> children, LeaseSnapshot leases) {
            this.byId = byId;
            this.children = children;
            this.leases = leases;
        }

        boolean finished(String shardId) {
            Boolean known = finished.get(shardId);
            if (known != null) {
                return known;
            }
            // A parent link that loops (never so on AWS) decides nothing: not finished, so it counts.
            if (!deciding.add(shardId)) {
                return false;
            }
            boolean result = decide(shardId);
            deciding.remove(shardId);
            finished.put(shardId, result);
            return result;
        }

        private boolean decide(String shardId) {
            LeaseItem lease = leases.lease(shardId);
            if (lease != null) {
                return lease.finished();
            }
            // No lease: finished only if closed and the consumer has begun a child (see rule 3).
            ListedShard shard = byId.get(shardId);
            if (shard == null || !shard.closed()) {
                return false;
            }
            for (String child : children.getOrDefault(shardId, List.of())) {
                if (started(child)) {
                    return true;
                }
            }
            return false;
        }

        private boolean started(String shardId) {
            LeaseItem lease = leases.lease(shardId);
            return lease != null ? lease.started() : finished(shardId);
        }
    }
}
