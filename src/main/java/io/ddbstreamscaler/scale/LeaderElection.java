package io.ddbstreamscaler.scale;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

import java.time.Duration;
import java.util.Map;

/**
 * Builds camel-kubernetes' cluster service for Lease-based leader election. Each ScaledObject's route uses its own
 * group ({@code master:<group>:timer:...}), so each has its own Lease ({@code leaders-<group>}), and several agents
 * spread the ScaledObjects among themselves: Kubernetes is the coordinator, we add none of our own.
 *
 * <p>camel-kubernetes 4.18 has no {@code camel.cluster.kubernetes.*} properties, so the service is a bean. A candidate
 * must be a Running, Ready pod in the lease namespace carrying {@link #CLUSTER_LABELS}, or it never leads.
 */
public final class LeaderElection {

    /** The label every pod running an agent carries (k8s/ puts it on the pod templates). */
    public static final Map<String, String> CLUSTER_LABELS = Map.of("app.kubernetes.io/part-of", "ddbstream-scaler");

    private LeaderElection() {
    }

    /**
     * @param client a client of its own: stopping the CamelContext closes the client given to the cluster service
     */
    public static KubernetesClusterService clusterService(KubernetesClient client, String namespace, String podName,
                                                          Duration leaseDuration) {
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setKubernetesClient(client);
        KubernetesClusterService service = new KubernetesClusterService(configuration);
        service.setId("ddbstream-scaler");
        service.setKubernetesNamespace(namespace);
        service.setKubernetesResourcesNamespace(namespace);
        service.setPodName(podName);
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName("leaders");
        service.setClusterLabels(CLUSTER_LABELS);
        long lease = leaseDuration.toMillis();
        service.setLeaseDurationMillis(lease);
        // client-go's proportions (15 s lease, 10 s renew deadline, 2 s retry).
        service.setRenewDeadlineMillis(lease * 2 / 3);
        service.setRetryPeriodMillis(Math.max(100, lease / 7));
        return service;
    }
}
