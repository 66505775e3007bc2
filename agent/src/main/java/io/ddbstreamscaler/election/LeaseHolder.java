package io.ddbstreamscaler.election;

import io.ddbstreamscaler.scale.KubeErrors;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Reads who holds a ScaledObject's Lease right now. Leadership is decided on the Lease passes' schedule: for up to a
 * pass after the Lease moved (the leader's pod turned NotReady, say) the deposed leader may still be polling. Asking
 * the API server just before a write closes that window for writes, at one GET per write (two while a legacy Lease of
 * the ScaledObject exists: {@link LegacyLeases}).
 */
public final class LeaseHolder {

    private final KubernetesClient client;
    private final String namespace;
    private final String podName;

    public LeaseHolder(KubernetesClient client, String namespace, String podName) {
        this.client = client;
        this.namespace = namespace;
        this.podName = podName;
    }

    /** True when {@code leaders-<group>} names this pod as its holder; false when it names another, or is gone. */
    public boolean heldByMe(String group) {
        Lease lease = get(group);
        return lease != null && podName.equals(LeaseSpread.holderOf(lease));
    }

    /**
     * True when this pod holds the ScaledObject's Lease and no other holds its legacy Lease (an agent of an earlier
     * version would lead the ScaledObject by it).
     */
    public boolean holdsScaledObject(String scaledObjectNamespace, String scaledObjectName) {
        if (!heldByMe(LeaseNames.group(scaledObjectNamespace, scaledObjectName))) {
            return false;
        }
        String legacyHolder = LeaseSpread.holderOf(get(LeaseNames.legacyGroup(scaledObjectNamespace, scaledObjectName)));
        return legacyHolder == null || podName.equals(legacyHolder);
    }

    private Lease get(String group) {
        String lease = LeaseSpread.GROUP_PREFIX + group;
        try {
            return client.leases().inNamespace(namespace).withName(lease).get();
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, "get", "coordination.k8s.io", "leases", namespace, lease);
        }
    }
}
