package io.ddbstreamscaler.election;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Spreads one Lease per ScaledObject group over the live agents, Kubernetes the only coordinator (docs/leader-election.md).
 *
 * <p>One pass ({@link #reconcile}): LIST the candidate pods, renew this agent's membership Lease
 * ({@code ddbstream-scaler-member-<pod>}, one write), LIST every Lease labelled {@value #LEASE_LABEL}. Live members are
 * Running, Ready, not terminating candidate pods whose membership Lease this agent saw change within a lease duration
 * ({@link MemberObservations}). {@link Rendezvous#assign} over them, given the current holders, names each group's
 * owner. Then per group: keep it without a write (the common case), hand it over (stop leading, then clear the holder
 * with its resourceVersion) when another member owns it, or take it (create, or update with its resourceVersion; 409
 * means another agent won) when this agent owns it and nobody who may still be leading holds it.
 *
 * <p>Why no two leaders, even with passes racing in real time: a holder is valid while its membership is fresh, and
 * leads only until its last renewal's start plus a lease duration. A peer takes a valid-looking holder's groups only
 * after seeing its membership stand still for a lease duration, and first <em>tombstones</em> that membership (an update
 * with the resourceVersion it saw). So the holder's next renewal, which carries the version it wrote, fails with 409 and
 * it drops everything; or the renewal came first and the tombstone fails. Group Leases are only re-claimed by a write,
 * never by reading one's own name on them after such a break. The holder's validity is its membership rather than its
 * pod: a pod that turns NotReady keeps its groups until its own next pass hands them over (it sees itself not live),
 * instead of a peer taking them while it may still be polling.
 *
 * <p>Call {@link #reconcile} from one scheduler, far more often than once a lease duration ({@link ElectionTiming}:
 * every 2 s against 15 s); {@link #leads} may be asked from any thread.
 */
public final class LeaseSpread implements Leadership {

    /** The label every pod running an agent carries (k8s/ puts it on the pod templates): the candidates. */
    public static final Map<String, String> CANDIDATE_LABELS = Map.of("app.kubernetes.io/part-of", "ddbstream-scaler");

    public static final String LEASE_LABEL = "ddbstream-scaler.io/lease";
    public static final String MEMBER = "member";
    public static final String SCALEDOBJECT = "scaledobject";
    public static final String MEMBER_PREFIX = "ddbstream-scaler-member-";
    /** A ScaledObject's Lease is {@code leaders-<group>} ({@link LeaseNames}); {@link LeaseHolder} reads it too. */
    public static final String GROUP_PREFIX = "leaders-";
    static final String EXPIRED_BY = "ddbstream-scaler.io/expired-by";

    private static final Logger LOG = LoggerFactory.getLogger(LeaseSpread.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String podName;
    private final Map<String, String> candidateLabels;
    private final Duration leaseDuration;
    private final Clock clock;
    private final MemberObservations observations;
    private final LeaseWrites writes;
    private final boolean announcesHashedNames;

    // Written by the pass, read by leads() from any poll thread.
    private final Set<String> led = new ConcurrentSkipListSet<>();
    private final Map<String, Lease> groupLeases = new HashMap<>();
    /** Legacy group Leases this agent holds as of the last pass (see {@link LegacyLeases}), released on shutdown. */
    private final Map<String, Lease> legacyHeld = new HashMap<>();
    private Lease membership;
    private volatile Instant validUntil;
    private volatile boolean live;
    private boolean listedBefore;
    private volatile List<String> members = List.of();

    public LeaseSpread(KubernetesClient client, String namespace, String podName, Map<String, String> candidateLabels,
                       Duration leaseDuration, Clock clock) {
        this(client, namespace, podName, candidateLabels, leaseDuration, clock, true);
    }

    /**
     * @param announcesHashedNames false only to stand in for an agent of an earlier version (their membership Leases
     *                             lack the mark), in the tests of an upgrade
     */
    LeaseSpread(KubernetesClient client, String namespace, String podName, Map<String, String> candidateLabels,
                Duration leaseDuration, Clock clock, boolean announcesHashedNames) {
        this.client = client;
        this.namespace = namespace;
        this.podName = podName;
        this.candidateLabels = Map.copyOf(candidateLabels);
        this.leaseDuration = leaseDuration;
        this.clock = clock;
        this.observations = new MemberObservations(leaseDuration);
        this.writes = new LeaseWrites(client, namespace, podName, leaseDuration, announcesHashedNames);
        this.announcesHashedNames = announcesHashedNames;
    }

    /** One pass; returns the groups this agent leads after it. Never throws on API errors. */
    @Override
    public Set<String> reconcile(Collection<String> groups) {
        return reconcile(groups, Map.of());
    }

    /**
     * One pass; returns the groups this agent leads after it. Never throws on API errors. A group with a legacy name
     * (agents of earlier versions used it) is led only as {@link LegacyLeases} allows.
     */
    @Override
    public synchronized Set<String> reconcile(Collection<String> groups, Map<String, String> legacyByGroup) {
        Instant now = clock.instant();
        writes.beginPass();
        List<Pod> pods = listPods();
        boolean renewed = renew(now, pods == null ? null : find(pods, podName));
        List<Lease> leases = pods == null ? null : listLeases();
        if (pods == null || leases == null || !renewed) {
            // Keep what it holds (its validity still runs out a lease duration after its last renewal), take nothing.
            writes.endPass();
            return leading();
        }
        Map<String, Lease> memberLeases = new HashMap<>();
        Map<String, Lease> byName = new HashMap<>();
        for (Lease lease : leases) {
            String name = lease.getMetadata().getName();
            if (MEMBER.equals(label(lease)) && name.startsWith(MEMBER_PREFIX)) {
                memberLeases.put(name.substring(MEMBER_PREFIX.length()), lease);
            } else if (SCALEDOBJECT.equals(label(lease)) && name.startsWith(GROUP_PREFIX)) {
                byName.put(name, lease);
            }
        }
        observe(memberLeases, byName, now);
        List<String> liveMembers = new ArrayList<>(new TreeSet<>(pods.stream().filter(LeaseSpread::runningAndReady)
                .map(p -> p.getMetadata().getName()).filter(id -> observations.fresh(id, now)).toList()));
        // Lead only once this agent's membership has been on the API server for a pass, so peers had a chance to see it.
        boolean selfLive = liveMembers.contains(podName) && listedBefore;
        listedBefore = memberLeases.containsKey(podName) && !tombstoned(podName, memberLeases.get(podName));

        Set<String> wanted = new TreeSet<>(groups);
        Map<String, String> holders = new HashMap<>();
        for (String group : wanted) {
            String holder = holderOf(byName.get(GROUP_PREFIX + group));
            if (holder != null) {
                holders.put(group, holder);
            }
        }
        // An agent of an earlier version never takes a Lease by these names: owning groups here would strand them.
        List<String> candidates = !announcesHashedNames ? liveMembers : liveMembers.stream()
                .filter(id -> LeaseWrites.announcesHashedNames(memberLeases.get(id))).toList();
        Map<String, String> owners = Rendezvous.assign(wanted, candidates, holders);
        Set<String> tombstoneFailed = new HashSet<>();
        LegacyLeases legacy = new LegacyLeases(writes, podName, byName, legacyByGroup, earlierVersionMayRun(memberLeases),
                holder -> mayTakeFrom(holder, memberLeases.get(holder), tombstoneFailed, now), now);
        int before = led.size();
        led.retainAll(wanted);
        for (Lease lease : byName.values()) {
            String group = lease.getMetadata().getName().substring(GROUP_PREFIX.length());
            if (!wanted.contains(group) && !legacy.named(group) && podName.equals(holderOf(lease))) {
                release(group, lease); // a ScaledObject this agent no longer has
            }
        }
        for (String group : wanted) {
            Lease lease = byName.get(GROUP_PREFIX + group);
            groupLeases.put(group, lease);
            boolean mine = selfLive && podName.equals(owners.get(group));
            String holder = holderOf(lease);
            if (podName.equals(holder)) {
                if (!mine) {
                    release(group, lease);
                } else if (!led.contains(group) && legacy.mayLead(group)) {
                    acquire(group, lease, now); // named here by an earlier life of this pod: re-claim by a write
                }
            } else {
                led.remove(group);
                if (mine && legacy.mayLead(group)
                        && (holder == null || mayTakeFrom(holder, memberLeases.get(holder), tombstoneFailed, now))) {
                    acquire(group, lease, now);
                }
            }
            if (led.contains(group) && !legacy.fence(group)) {
                led.remove(group); // an agent of an earlier version leads it by the old name: not this one, yet
            }
        }
        legacy.letGo(led);
        legacyHeld.clear();
        for (String name : legacyByGroup.values()) {
            Lease lease = byName.get(GROUP_PREFIX + name);
            if (podName.equals(holderOf(lease))) {
                legacyHeld.put(name, lease);
            }
        }
        live = selfLive;
        members = List.copyOf(liveMembers);
        writes.endPass();
        if (led.size() != before || writes.moves() > 0) {
            LOG.info("Lease spread: {} leads {} of {} ScaledObject groups over {} live members {}", podName, led.size(),
                    wanted.size(), members.size(), members);
        }
        return leading();
    }

    /** Whether a membership Lease (not a tombstone) lacks the mark of this naming: an earlier version's agent. */
    private boolean earlierVersionMayRun(Map<String, Lease> memberLeases) {
        return memberLeases.entrySet().stream().anyMatch(e -> !tombstoned(e.getKey(), e.getValue())
                && !LeaseWrites.announcesHashedNames(e.getValue()));
    }

    /** As of the last pass, and only while its membership renewal is less than a lease duration old. */
    @Override
    public boolean leads(String group) {
        return live && validUntil != null && clock.instant().isBefore(validUntil) && led.contains(group);
    }

    @Override
    public int held() {
        return leading().size();
    }

    /** Live members seen in the last pass, sorted. */
    public List<String> members() {
        return members;
    }

    /** On shutdown: stop leading, clear the holder of every Lease held, delete the membership so peers take over now. */
    @Override
    public synchronized void releaseAll() {
        led.clear();
        live = false;
        validUntil = null;
        for (Map.Entry<String, Lease> e : groupLeases.entrySet()) {
            if (podName.equals(holderOf(e.getValue()))) {
                writes.release(e.getKey(), e.getValue());
            }
        }
        groupLeases.clear();
        legacyHeld.forEach(writes::release);
        legacyHeld.clear();
        writes.deleteMembership();
        membership = null;
        listedBefore = false;
    }

    private Set<String> leading() {
        Set<String> now = new TreeSet<>();
        led.forEach(g -> {
            if (leads(g)) {
                now.add(g);
            }
        });
        return now;
    }

    private boolean renew(Instant now, Pod self) {
        Lease renewed = writes.renewMembership(membership, now, self == null ? null : self.getMetadata().getUid());
        if (writes.chainBroken()) {
            // A peer declared this agent dead (or the Lease was deleted): it may already lead some of our groups.
            LOG.warn("Lease spread: {}'s membership Lease was tombstoned or deleted by a peer (this agent missed its "
                    + "renewals for a lease duration of {}): it stops leading its {} groups and re-claims its share by a "
                    + "write", podName, leaseDuration, led.size());
            led.clear();
            listedBefore = false;
            membership = null;
        }
        if (renewed == null) {
            return false;
        }
        membership = renewed;
        validUntil = now.plus(leaseDuration);
        return true;
    }

    private void observe(Map<String, Lease> memberLeases, Map<String, Lease> groupsByName, Instant now) {
        Map<String, MemberObservations.Now> listed = new HashMap<>();
        memberLeases.forEach((id, lease) -> listed.put(id,
                new MemberObservations.Now(lease.getMetadata().getResourceVersion(), tombstoned(id, lease))));
        Set<String> referenced = new HashSet<>();
        groupsByName.values().forEach(l -> {
            String holder = holderOf(l);
            if (holder != null) {
                referenced.add(holder);
            }
        });
        observations.observe(listed, referenced, now);
    }

    /** A holder that may not be leading any more: tombstoned, long gone, or stale (then tombstoned here first). */
    private boolean mayTakeFrom(String holder, Lease itsMembership, Set<String> tombstoneFailed, Instant now) {
        if (observations.mayLead(holder, now) || tombstoneFailed.contains(holder)) {
            return false;
        }
        if (observations.stale(holder, now)) {
            Lease stone = writes.tombstone(itsMembership);
            if (stone == null) {
                tombstoneFailed.add(holder); // it renewed meanwhile, or the API failed: not this pass
                return false;
            }
            observations.tombstoned(holder, stone.getMetadata().getResourceVersion(), now);
        }
        return true;
    }

    private void acquire(String group, Lease lease, Instant now) {
        Lease taken = writes.acquire(group, lease, now);
        if (taken != null) {
            led.add(group);
            groupLeases.put(group, taken);
        }
    }

    private void release(String group, Lease lease) {
        led.remove(group); // stop leading first, then tell the API server
        Lease released = writes.release(group, lease);
        groupLeases.put(group, released == null ? lease : released);
    }

    private List<Pod> listPods() {
        try {
            return client.pods().inNamespace(namespace).withLabels(candidateLabels).list().getItems();
        } catch (KubernetesClientException e) {
            writes.failed("list", "", "pods", "", e);
            return null;
        }
    }

    private List<Lease> listLeases() {
        try {
            return client.leases().inNamespace(namespace).withLabel(LEASE_LABEL).list().getItems();
        } catch (KubernetesClientException e) {
            writes.failed("list", "coordination.k8s.io", "leases", "", e);
            return null;
        }
    }

    static boolean runningAndReady(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
                || !"Running".equals(pod.getStatus().getPhase()) || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Pod find(List<Pod> pods, String name) {
        return pods.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst().orElse(null);
    }

    private static String label(Lease lease) {
        Map<String, String> labels = lease.getMetadata().getLabels();
        return labels == null ? null : labels.get(LEASE_LABEL);
    }

    static String holderOf(Lease lease) {
        if (lease == null || lease.getSpec() == null) {
            return null;
        }
        String holder = lease.getSpec().getHolderIdentity();
        return holder == null || holder.isEmpty() ? null : holder;
    }

    private static boolean tombstoned(String id, Lease memberLease) {
        return !id.equals(holderOf(memberLease));
    }

    /** For {@link LeaseWrites}: the membership Lease's owner, so Kubernetes deletes it with the pod. */
    static io.fabric8.kubernetes.api.model.OwnerReference podOwner(String podName, String uid) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod").withName(podName).withUid(uid).build();
    }

    static LeaseBuilder newLease(String namespace, String name, String kind) {
        return new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(LEASE_LABEL, kind).endMetadata();
    }
}
