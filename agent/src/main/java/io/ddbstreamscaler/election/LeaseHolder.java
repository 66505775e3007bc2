package io.ddbstreamscaler.election;

import io.ddbstreamscaler.scale.KubeErrors;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Reads who holds a Lease right now. camel-kubernetes hands leadership over on its own schedule: for a few seconds after
 * the Lease moved (the leader's pod turned NotReady, say) the deposed leader's route still runs. Asking the API server
 * just before a write closes that window for writes, at one GET per write.
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
        try {
            Lease lease = client.leases().inNamespace(namespace).withName("leaders-" + group).get();
            return lease != null && lease.getSpec() != null && podName.equals(lease.getSpec().getHolderIdentity());
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, "get", "coordination.k8s.io", "leases", namespace, "leaders-" + group);
        }
    }
}
