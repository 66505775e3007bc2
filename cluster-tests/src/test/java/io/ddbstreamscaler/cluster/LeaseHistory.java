package io.ddbstreamscaler.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every version of every Lease of a namespace, from a watch started before any agent: which agent each version names as
 * holder. The audit log (Metadata level) has no bodies, so it says who wrote a Lease and when, but not what; the watch
 * says what, in the order of the writes. For one Lease the successful writes are strictly sequential (each carries the
 * resourceVersion the previous one produced, else the API server answers 409), so the n-th successful write in the audit
 * log made the n-th version the watch reported: zipped, they give each holder's time span in the API server's clock.
 */
final class LeaseHistory implements AutoCloseable {

    /** The label docs/leader-election.md gives every Lease of the agents: {@code member} or {@code scaledobject}. */
    static final String KIND_LABEL = "ddbstream-scaler.io/lease";

    /** One version of a Lease as the watch reported it; {@code kind} is its {@link #KIND_LABEL}. */
    record Version(String lease, String kind, String holder, boolean deleted) {
    }

    /** A span of time in which {@code holder} held {@code lease}: from its write's start to the next write's end. */
    record Tenure(String lease, String holder, AuditLog.Request from, AuditLog.Request until) {
        /** Certainly held during [start, end]: the write that made it holder ended before, the next began after. */
        boolean surelyCovers(Instant start, Instant end) {
            return !from.completed().isAfter(start) && (until == null || !until.received().isBefore(end));
        }

        /** Possibly held at some instant of [start, end]: the spans overlap. */
        boolean mayCover(Instant start, Instant end) {
            return !from.received().isAfter(end) && (until == null || !until.completed().isBefore(start));
        }
    }

    private final List<Version> versions = new CopyOnWriteArrayList<>();
    private final Watch watch;
    private volatile boolean broken;

    LeaseHistory(KubernetesClient admin, String namespace) {
        this.watch = admin.leases().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Lease lease) {
                String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
                Map<String, String> labels = lease.getMetadata().getLabels();
                versions.add(new Version(lease.getMetadata().getName(), labels == null ? null : labels.get(KIND_LABEL),
                        holder == null || holder.isEmpty() ? null : holder, action == Action.DELETED));
            }

            @Override
            public void onClose(WatcherException cause) {
                broken = true;
            }
        });
    }

    /**
     * The holders of the Leases {@code which} selects by name, each as a list of tenures in order; fails when the watch
     * and the audit log disagree on how many versions a Lease had (a watch that missed events proves nothing).
     */
    Map<String, List<Tenure>> tenures(List<AuditLog.Request> audit, String namespace, Predicate<String> which) {
        if (broken) {
            throw new AssertionError("the Lease watch ended early: the history is incomplete");
        }
        Map<String, List<Version>> byLease = new TreeMap<>();
        for (Version v : versions) {
            if (which.test(v.lease()) && !v.deleted()) {
                byLease.computeIfAbsent(v.lease(), k -> new ArrayList<>()).add(v);
            }
        }
        Map<String, List<Tenure>> out = new TreeMap<>();
        for (Map.Entry<String, List<Version>> e : byLease.entrySet()) {
            List<AuditLog.Request> writes = audit.stream()
                    .filter(r -> r.namespace().equals(namespace) && r.resource().equals("leases") && r.name().equals(e.getKey())
                            && r.ok() && (r.verb().equals("create") || r.verb().equals("update") || r.verb().equals("patch")))
                    .sorted(Comparator.comparing(AuditLog.Request::received)).toList();
            if (writes.size() != e.getValue().size()) {
                throw new AssertionError("Lease " + e.getKey() + ": the watch saw " + e.getValue().size()
                        + " versions, the audit log has " + writes.size() + " successful writes: " + writes);
            }
            // A write that names the same holder again extends its tenure; one that names another (or none) ends it.
            List<Tenure> tenures = new ArrayList<>();
            String holder = null;
            AuditLog.Request since = null;
            for (int i = 0; i < writes.size(); i++) {
                String next = e.getValue().get(i).holder();
                if (java.util.Objects.equals(next, holder)) {
                    continue;
                }
                if (holder != null) {
                    tenures.add(new Tenure(e.getKey(), holder, since, writes.get(i)));
                }
                holder = next;
                since = writes.get(i);
            }
            if (holder != null) {
                tenures.add(new Tenure(e.getKey(), holder, since, null));
            }
            out.put(e.getKey(), tenures);
        }
        return out;
    }

    /** The holder each ScaledObject Lease (label {@code scaledobject}) names now, as last reported. */
    Map<String, Optional<String>> groupHolders() {
        Map<String, Optional<String>> now = new TreeMap<>();
        for (Version v : versions) {
            if ("scaledobject".equals(v.kind())) {
                if (v.deleted()) {
                    now.remove(v.lease());
                } else {
                    now.put(v.lease(), Optional.ofNullable(v.holder()));
                }
            }
        }
        return now;
    }

    @Override
    public void close() {
        watch.close();
    }
}
