package io.ddbstreamscaler.scale;

import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Tells whether this agent's own pod belongs to a scale target (pod -> ReplicaSet -> Deployment, or pod -> StatefulSet
 * or other direct owner): then the agent is a sidecar of the workload it scales, and scaling that workload to zero
 * would stop the only agent that could scale it up again. The policy's sidecar guard keeps it at 1 or more.
 */
public final class PodOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(PodOwnership.class);

    private final KubernetesClient client;
    private final String podName;
    private final String podNamespace;

    public PodOwnership(KubernetesClient client, String podName, String podNamespace) {
        this.client = client;
        this.podName = podName;
        this.podNamespace = podNamespace;
    }

    /** True when the pod is owned by the target; false outside a cluster or when it cannot tell (logged). */
    public boolean ownedBy(String namespace, ScaleTargetRef target) {
        if (podName == null || podNamespace == null || !podNamespace.equals(namespace)) {
            return false;
        }
        Pod pod;
        try {
            pod = client.pods().inNamespace(podNamespace).withName(podName).get();
        } catch (KubernetesClientException e) {
            return cannotTell(target, KubeErrors.translate(e, "get", "", "pods", podNamespace, podName));
        }
        if (pod == null) {
            return false;
        }
        Optional<OwnerReference> owner = controller(pod);
        if (owner.isPresent() && "ReplicaSet".equals(owner.get().getKind())) {
            String replicaSet = owner.get().getName();
            try {
                ReplicaSet rs = client.apps().replicaSets().inNamespace(podNamespace).withName(replicaSet).get();
                owner = rs == null ? Optional.empty() : controller(rs);
            } catch (KubernetesClientException e) {
                return cannotTell(target, KubeErrors.translate(e, "get", "apps", "replicasets", podNamespace, replicaSet));
            }
        }
        return owner.filter(o -> o.getKind().equals(target.kind()) && o.getName().equals(target.name())).isPresent();
    }

    /**
     * Not knowing means guarding: the guard only forbids zero, which is the safe side for a sidecar. The cause says
     * what failed, and for a 403 the Role rule it needs (a real API server enforces the Role: cluster-tests'
     * LeastPrivilegeIT removes each rule in turn).
     */
    private boolean cannotTell(ScaleTargetRef target, ScaleException cause) {
        LOG.warn("cannot tell whether pod {}/{} belongs to {} {}, keeping at least 1 replica: {}", podNamespace, podName,
                target.kind(), target.name(), cause.getMessage());
        return true;
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        return object.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }
}
