package io.ddbstreamscaler.election;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * When this agent last saw each member's membership Lease change, by its own clock. client-go's rule
 * ({@code k8s.io/client-go/tools/leaderelection}: {@code observedTime}): a peer is judged by how long its record has
 * stood still here, never by the renewTime it wrote, so clock skew between nodes does not matter, only clock rates.
 * An identity first seen now counts as changed now: a newcomer waits a whole lease duration before it may declare
 * anyone dead, and so does an agent that could not LIST for a lease duration.
 */
final class MemberObservations {

    /** A membership Lease as last seen: its resourceVersion (null: absent), whether a peer tombstoned it, since when. */
    record Seen(String version, boolean tombstoned, Instant since) {
    }

    /** A membership Lease as the LIST shows it now. */
    record Now(String version, boolean tombstoned) {
    }

    private final Duration leaseDuration;
    private final Map<String, Seen> seen = new HashMap<>();
    private Instant lastObserved;

    MemberObservations(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    /**
     * @param listed     identity to its membership Lease in this pass's LIST
     * @param referenced identities named elsewhere (holders of group Leases): an absent one is observed as absent
     */
    void observe(Map<String, Now> listed, Set<String> referenced, Instant now) {
        if (lastObserved != null && !now.isBefore(lastObserved.plus(leaseDuration))) {
            // This agent could not look for a lease duration (API outage, pause): it has seen nobody stand still, so
            // it starts watching afresh instead of declaring the whole fleet dead at once.
            seen.clear();
        }
        lastObserved = now;
        // Identities neither listed nor referenced are forgotten: a pod name that comes back starts afresh.
        seen.keySet().removeIf(id -> !listed.containsKey(id) && !referenced.contains(id));
        for (String id : referenced) {
            if (!listed.containsKey(id)) {
                record(id, new Now(null, false), now);
            }
        }
        listed.forEach((id, lease) -> record(id, lease, now));
    }

    private void record(String id, Now lease, Instant now) {
        Seen before = seen.get(id);
        if (before == null || !Objects.equals(before.version(), lease.version())
                || before.tombstoned() != lease.tombstoned()) {
            seen.put(id, new Seen(lease.version(), lease.tombstoned(), now));
        }
    }

    /** Present, not tombstoned, and seen to change less than a lease duration ago: a live member (pods aside). */
    boolean fresh(String id, Instant now) {
        Seen s = seen.get(id);
        return s != null && s.version() != null && !s.tombstoned() && now.isBefore(s.since().plus(leaseDuration));
    }

    /**
     * Whether {@code id} may still be leading, so its group Leases must not be taken: its membership is fresh, or it
     * went absent less than a lease duration ago (it may not have noticed yet).
     */
    boolean mayLead(String id, Instant now) {
        Seen s = seen.get(id);
        if (s == null) {
            return true;
        }
        if (s.tombstoned()) {
            return false;
        }
        return now.isBefore(s.since().plus(leaseDuration));
    }

    /** Present and not tombstoned but stood still for a lease duration: a peer must tombstone it before taking over. */
    boolean stale(String id, Instant now) {
        Seen s = seen.get(id);
        return s != null && s.version() != null && !s.tombstoned() && !now.isBefore(s.since().plus(leaseDuration));
    }

    /** After this agent's own successful tombstone write. */
    void tombstoned(String id, String version, Instant now) {
        seen.put(id, new Seen(version, true, now));
    }
}
