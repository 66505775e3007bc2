package io.ddbstreamscaler.scale;

import io.ddbstreamscaler.Causes;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns fabric8 failures into typed errors whose messages say what to do. */
public final class KubeErrors {

    private KubeErrors() {
    }

    /**
     * @param verb          the HTTP-level verb as RBAC names it (get, update, patch)
     * @param apiGroup      "" for the core group
     * @param resource      e.g. deployments/scale, secrets
     * @param namespace     where
     * @param name          which object; empty for a list (or a create), which RBAC cannot restrict by name
     */
    public static ScaleException translate(KubernetesClientException e, String verb, String apiGroup, String resource,
                                    String namespace, String name) {
        boolean named = name != null && !name.isEmpty();
        String what = verb + " " + resource + (named ? " " + namespace + "/" + name : " in namespace " + namespace);
        int code = e.getCode();
        if (code == 403 || code == 401) {
            // A rule with resourceNames never allows a list: name the object only when there is one.
            return new ScaleException(ScaleException.Kind.FORBIDDEN, what + " was forbidden (" + code + "): the agent's "
                    + "ServiceAccount needs a Role in namespace " + namespace + " with the rule {apiGroups: [\"" + apiGroup
                    + "\"], resources: [\"" + resource + "\"], " + (named ? "resourceNames: [\"" + name + "\"], " : "")
                    + "verbs: [\"" + verb + "\"]} (see k8s/base/role.yaml)", e);
        }
        if (code == 404) {
            return new ScaleException(ScaleException.Kind.NOT_FOUND, what + ": not found (404): check the ScaledObject's "
                    + "scaleTargetRef (apiVersion, kind, name) and that the object exists in namespace " + namespace, e);
        }
        if (code == 409) {
            return new ScaleException(ScaleException.Kind.CONFLICT, what + ": conflict (409) persisted after retries: "
                    + "another controller keeps changing the object (is an HPA or KEDA also scaling it?)", e);
        }
        // No HTTP answer at all (refused, reset, timed out) has no status code: fabric8 reports 0 or -1.
        if (code < 100 || code == 429 || code >= 500) {
            return new ScaleException(ScaleException.Kind.UNAVAILABLE, what + ": the Kubernetes API server is unavailable"
                    + (code < 100 ? "" : " (" + code + ")") + ": " + rootMessage(e) + "; replicas are left as they are and "
                    + "the next poll tries again", e);
        }
        return new ScaleException(ScaleException.Kind.INVALID, what + ": the API server answered " + code + ": "
                + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        return Causes.rootSummary(e);
    }
}
