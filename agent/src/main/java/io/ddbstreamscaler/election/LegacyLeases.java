package io.ddbstreamscaler.election;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One pass's view of the Leases agents of earlier versions named ScaledObjects by ({@link LeaseNames#legacyGroup}), so
 * that an upgrade never has an old and a new agent lead one ScaledObject (docs/leader-election.md, "Upgrading from the
 * old names"). An old agent leads a ScaledObject when it holds its legacy Lease, and takes that Lease only when it is
 * absent, free, or its holder may no longer lead. So while an agent of an earlier version may run, a new agent leads a
 * ScaledObject only while it holds the legacy Lease too (taking it, or creating it, by compare-and-swap): one Lease,
 * one holder, one leader. Once no membership Lease lacks the new naming's mark, the legacy Leases are deleted.
 */
final class LegacyLeases {

    private final LeaseWrites writes;
    private final String podName;
    private final Map<String, Lease> byName;
    private final Map<String, String> legacyByGroup;
    private final Set<String> legacyNames;
    private final boolean earlierVersionMayRun;
    private final Predicate<String> mayTakeFrom;
    private final Instant now;

    /**
     * @param byName               the ScaledObject Leases of this pass's LIST, by Lease name; kept up to date here
     * @param earlierVersionMayRun a membership Lease (not a tombstone) lacks the new naming's mark
     * @param mayTakeFrom          whether a holder may no longer be leading (a stale one is tombstoned first)
     */
    LegacyLeases(LeaseWrites writes, String podName, Map<String, Lease> byName, Map<String, String> legacyByGroup,
                 boolean earlierVersionMayRun, Predicate<String> mayTakeFrom, Instant now) {
        this.writes = writes;
        this.podName = podName;
        this.byName = byName;
        this.legacyByGroup = Map.copyOf(legacyByGroup);
        this.legacyNames = Set.copyOf(legacyByGroup.values());
        this.earlierVersionMayRun = earlierVersionMayRun;
        this.mayTakeFrom = mayTakeFrom;
        this.now = now;
    }

    /** Whether {@code name} is the legacy group of a ScaledObject of this pass. */
    boolean named(String name) {
        return legacyNames.contains(name);
    }

    /** Whether taking {@code group} is worth a write: no agent of an earlier version may lead it by its legacy Lease. */
    boolean mayLead(String group) {
        if (!earlierVersionMayRun) {
            return true;
        }
        String holder = LeaseSpread.holderOf(legacyLease(group));
        return holder == null || podName.equals(holder) || mayTakeFrom.test(holder);
    }

    /**
     * Called for a group this agent has just led: while an earlier version may run, holds its legacy Lease (taking it
     * or creating it); once none can, deletes it. Returns whether this agent may lead the group.
     */
    boolean fence(String group) {
        String legacy = legacyByGroup.get(group);
        if (legacy == null) {
            return true;
        }
        Lease lease = legacyLease(group);
        String holder = LeaseSpread.holderOf(lease);
        if (!earlierVersionMayRun) {
            if (lease != null && (holder == null || podName.equals(holder) || mayTakeFrom.test(holder))) {
                delete(legacy, lease);
            }
            return true;
        }
        if (podName.equals(holder)) {
            return true;
        }
        if (holder != null && !mayTakeFrom.test(holder)) {
            return false;
        }
        Lease taken = writes.acquire(legacy, lease, now);
        if (taken == null) {
            return false; // another agent wrote first: it may be an old one, so this agent does not lead
        }
        byName.put(LeaseSpread.GROUP_PREFIX + legacy, taken);
        return true;
    }

    /**
     * At the end of the pass: lets go of the legacy Leases this agent holds and no group it leads needs (released for
     * the old agents while they may run, deleted once none can). After the groups themselves were handed over.
     */
    void letGo(Collection<String> led) {
        Set<String> needed = new HashSet<>();
        for (String group : led) {
            String legacy = legacyByGroup.get(group);
            if (legacy != null) {
                needed.add(legacy);
            }
        }
        for (String legacy : List.copyOf(legacyNames)) {
            Lease lease = byName.get(LeaseSpread.GROUP_PREFIX + legacy);
            if (lease == null || !podName.equals(LeaseSpread.holderOf(lease))) {
                continue;
            }
            if (!earlierVersionMayRun) {
                delete(legacy, lease);
            } else if (!needed.contains(legacy)) {
                Lease released = writes.release(legacy, lease);
                byName.put(LeaseSpread.GROUP_PREFIX + legacy, released == null ? lease : released);
            }
        }
    }

    private Lease legacyLease(String group) {
        String legacy = legacyByGroup.get(group);
        return legacy == null ? null : byName.get(LeaseSpread.GROUP_PREFIX + legacy);
    }

    private void delete(String legacy, Lease lease) {
        writes.delete(lease);
        byName.remove(LeaseSpread.GROUP_PREFIX + legacy);
    }
}
