package io.ddbstreamscaler.election;

import io.ddbstreamscaler.scale.KubeErrors;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;

/**
 * The Lease writes of {@link LeaseSpread}, each a compare-and-swap on the resourceVersion it read (409: someone else
 * wrote first, which is an answer, not an error). Other API failures are logged once per cause and answered with null.
 */
final class LeaseWrites {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseSpread.class);
    private static final String API_GROUP = "coordination.k8s.io";

    private final KubernetesClient client;
    private final String namespace;
    private final String podName;
    private final int leaseSeconds;
    private final boolean announcesHashedNames;
    private final Set<String> warned = new HashSet<>();
    private boolean failedThisPass;
    private boolean chainBroken;
    private int moves;

    /** The membership Lease's mark: this agent names groups by {@link LeaseNames#group} and knows the legacy names. */
    static final String NAMES_ANNOTATION = "ddbstream-scaler.io/lease-names";
    static final String HASHED = "hashed";

    LeaseWrites(KubernetesClient client, String namespace, String podName, Duration leaseDuration,
                boolean announcesHashedNames) {
        this.client = client;
        this.namespace = namespace;
        this.podName = podName;
        this.leaseSeconds = (int) Math.max(1, leaseDuration.toSeconds());
        this.announcesHashedNames = announcesHashedNames;
    }

    /** Whether the agent of this membership Lease names groups by {@link LeaseNames#group} (it wrote the mark). */
    static boolean announcesHashedNames(Lease membership) {
        var annotations = membership.getMetadata().getAnnotations();
        return annotations != null && HASHED.equals(annotations.get(NAMES_ANNOTATION));
    }

    void beginPass() {
        failedThisPass = false;
        moves = 0;
    }

    void endPass() {
        if (!failedThisPass && !warned.isEmpty()) {
            LOG.info("Lease spread: the Kubernetes API server answers {} again", podName);
            warned.clear();
        }
    }

    /** Group Leases taken or handed over in this pass. */
    int moves() {
        return moves;
    }

    /** Whether the last renewal found the membership tombstoned by a peer or deleted. */
    boolean chainBroken() {
        return chainBroken;
    }

    /** Renews with the version last written (one PUT); registers afresh on the first pass or after a break. */
    Lease renewMembership(Lease current, Instant now, String podUid) {
        chainBroken = false;
        String name = LeaseSpread.MEMBER_PREFIX + podName;
        // The verb of the request under way, so that a refusal names the permission that was missing.
        String verb = "update";
        try {
            if (current != null) {
                try {
                    return update(renewed(current, now));
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 && e.getCode() != 404) {
                        throw e;
                    }
                    chainBroken = true;
                }
            }
            verb = "get";
            Lease existing = client.leases().inNamespace(namespace).withName(name).get();
            if (existing != null) {
                verb = "update";
                return update(renewed(new LeaseBuilder(existing).editMetadata().removeFromAnnotations(
                        LeaseSpread.EXPIRED_BY).endMetadata().build(), now));
            }
            LeaseBuilder fresh = LeaseSpread.newLease(namespace, name, LeaseSpread.MEMBER);
            if (podUid != null) {
                // Kubernetes deletes the membership with the pod, so crashed agents leave nothing behind.
                fresh.editMetadata().addToOwnerReferences(LeaseSpread.podOwner(podName, podUid)).endMetadata();
            }
            verb = "create";
            return client.leases().inNamespace(namespace).resource(renewed(fresh.build(), now)).create();
        } catch (KubernetesClientException e) {
            failed(verb, API_GROUP, "leases", name, e);
            return null;
        }
    }

    /** Declares a member that stood still for a lease duration dead; null if it renewed first (or the API failed). */
    Lease tombstone(Lease membership) {
        Lease stone = new LeaseBuilder(membership).editMetadata().addToAnnotations(LeaseSpread.EXPIRED_BY, podName)
                .endMetadata().editOrNewSpec().withHolderIdentity(null).endSpec().build();
        return write(stone, "update");
    }

    /** Creates or updates {@code leaders-<group>} naming this pod; null if another agent won. */
    Lease acquire(String group, Lease lease, Instant now) {
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        if (lease == null) {
            Lease fresh = LeaseSpread.newLease(namespace, LeaseSpread.GROUP_PREFIX + group, LeaseSpread.SCALEDOBJECT)
                    .withNewSpec().withHolderIdentity(podName).withAcquireTime(at).withRenewTime(at)
                    .withLeaseDurationSeconds(leaseSeconds).withLeaseTransitions(0).endSpec().build();
            return write(fresh, "create");
        }
        Integer transitions = lease.getSpec() == null ? null : lease.getSpec().getLeaseTransitions();
        boolean change = !podName.equals(LeaseSpread.holderOf(lease));
        Lease taken = new LeaseBuilder(lease).editOrNewSpec().withHolderIdentity(podName).withAcquireTime(at)
                .withRenewTime(at).withLeaseDurationSeconds(leaseSeconds)
                .withLeaseTransitions((transitions == null ? 0 : transitions) + (change ? 1 : 0)).endSpec().build();
        return write(taken, "update");
    }

    /** Clears the holder so the owner takes it on its next pass; null if the Lease changed meanwhile. */
    Lease release(String group, Lease lease) {
        return write(new LeaseBuilder(lease).editOrNewSpec().withHolderIdentity(null).endSpec().build(), "update");
    }

    /** Deletes a legacy group Lease, only as it was read (the resourceVersion is a precondition). */
    void delete(Lease lease) {
        try {
            client.leases().inNamespace(namespace).resource(lease).lockResourceVersion().delete();
            moves++;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                failed("delete", API_GROUP, "leases", lease.getMetadata().getName(), e);
            }
        }
    }

    void deleteMembership() {
        String name = LeaseSpread.MEMBER_PREFIX + podName;
        try {
            client.leases().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            failed("delete", API_GROUP, "leases", name, e);
        }
    }

    private Lease write(Lease lease, String verb) {
        try {
            Lease written = "create".equals(verb) ? client.leases().inNamespace(namespace).resource(lease).create()
                    : update(lease);
            if (lease.getMetadata().getLabels() != null
                    && LeaseSpread.SCALEDOBJECT.equals(lease.getMetadata().getLabels().get(LeaseSpread.LEASE_LABEL))) {
                moves++;
            }
            return written;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                failed(verb, API_GROUP, "leases", lease.getMetadata().getName(), e);
            }
            return null;
        }
    }

    private Lease update(Lease lease) {
        // The resourceVersion read travels with the object: the API server refuses it (409) if the Lease changed.
        return client.leases().inNamespace(namespace).resource(lease).update();
    }

    private Lease renewed(Lease membership, Instant now) {
        LeaseBuilder renewed = new LeaseBuilder(membership).editOrNewSpec().withHolderIdentity(podName)
                .withRenewTime(now.atZone(ZoneOffset.UTC)).withLeaseDurationSeconds(leaseSeconds).endSpec();
        if (announcesHashedNames) {
            renewed.editMetadata().addToAnnotations(NAMES_ANNOTATION, HASHED).endMetadata();
        }
        return renewed.build();
    }

    /** Logs a WARN once per cause (verb, resource, status) until a pass goes through without failures. */
    void failed(String verb, String apiGroup, String resource, String name, KubernetesClientException e) {
        failedThisPass = true;
        int code = e.getCode();
        if (!warned.add(verb + " " + resource + " " + code)) {
            return;
        }
        boolean explained = code == 401 || code == 403 || code < 100 || code == 429 || code >= 500;
        String what = explained ? KubeErrors.translate(e, verb, apiGroup, resource, namespace, name).getMessage()
                : verb + " " + resource + " " + namespace + "/" + name + ": the API server answered " + code + ": "
                + e.getMessage();
        LOG.warn("Lease spread: {}; {} keeps the ScaledObject groups it leads (for at most a lease duration without a "
                + "renewal) and takes none until the API answers", what, podName);
    }
}
