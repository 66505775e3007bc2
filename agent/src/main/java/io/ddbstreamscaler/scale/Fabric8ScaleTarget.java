package io.ddbstreamscaler.scale;

import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The scale subresource through fabric8, for any kind that has one: reads the Scale, writes spec.replicas with the
 * Scale's resourceVersion (so a concurrent change gives 409 rather than a lost update), and on 409 reads again and
 * retries, a bounded number of times, as the HPA controller does on conflicts.
 */
public final class Fabric8ScaleTarget implements ScaleTarget {

    static final int MAX_ATTEMPTS = 4;

    private final KubernetesClient client;

    public Fabric8ScaleTarget(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public int currentReplicas(String namespace, ScaleTargetRef ref) {
        return replicas(readScale(namespace, ref));
    }

    @Override
    public ScaleResult scale(String namespace, ScaleTargetRef ref, int desiredReplicas) {
        KubernetesClientException lastConflict = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Scale current = readScale(namespace, ref);
            int from = replicas(current);
            if (from == desiredReplicas) {
                return new ScaleResult(from, desiredReplicas, false, attempt);
            }
            Scale wanted = new ScaleBuilder(current).editOrNewSpec().withReplicas(desiredReplicas).endSpec().build();
            try {
                resource(namespace, ref).scale(wanted);
                return new ScaleResult(from, desiredReplicas, true, attempt);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw KubeErrors.translate(e, "update", ScaleResources.apiGroup(ref), ScaleResources.scaleResource(ref),
                            namespace, ref.name());
                }
                lastConflict = e;
            }
        }
        throw KubeErrors.translate(lastConflict, "update", ScaleResources.apiGroup(ref), ScaleResources.scaleResource(ref),
                namespace, ref.name());
    }

    private Scale readScale(String namespace, ScaleTargetRef ref) {
        try {
            Scale scale = resource(namespace, ref).scale();
            if (scale == null) {
                throw new ScaleException(ScaleException.Kind.NOT_FOUND, "get " + ScaleResources.scaleResource(ref) + " "
                        + namespace + "/" + ref.name() + ": not found: check the ScaledObject's scaleTargetRef", null);
            }
            return scale;
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, "get", ScaleResources.apiGroup(ref), ScaleResources.scaleResource(ref),
                    namespace, ref.name());
        }
    }

    private Resource<GenericKubernetesResource> resource(String namespace, ScaleTargetRef ref) {
        return client.genericKubernetesResources(ScaleResources.of(ref)).inNamespace(namespace).withName(ref.name());
    }

    static int replicas(Scale scale) {
        Integer replicas = scale.getSpec() == null ? null : scale.getSpec().getReplicas();
        // The API server leaves spec.replicas out of a Scale when it is 0 (autoscaling/v1 ScaleSpec: `replicas,omitempty`;
        // a workload's own spec.replicas is defaulted to 1 when it is created, so only 0 is ever absent here).
        return replicas == null ? 0 : replicas;
    }
}
