package io.ddbstreamscaler.scale;

import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Locale;

/**
 * Names the REST resource of a scale target without a discovery call: apps/v1 kinds by their known plurals, any other
 * kind (an Argo Rollout, a custom resource with /scale) by the API server's default plural, lower case + "s".
 */
final class ScaleResources {

    private ScaleResources() {
    }

    static ResourceDefinitionContext of(ScaleTargetRef ref) {
        String apiVersion = ref.apiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(ref.kind())
                .withPlural(plural(ref.kind()))
                .withNamespaced(true)
                .build();
    }

    static String plural(String kind) {
        String lower = kind.toLowerCase(Locale.ROOT);
        if (lower.endsWith("s")) {
            return lower + "es";
        }
        return lower.endsWith("y") ? lower.substring(0, lower.length() - 1) + "ies" : lower + "s";
    }

    /** e.g. {@code deployments/scale}, as RBAC names it. */
    static String scaleResource(ScaleTargetRef ref) {
        return plural(ref.kind()) + "/scale";
    }

    static String apiGroup(ScaleTargetRef ref) {
        int slash = ref.apiVersion().indexOf('/');
        return slash < 0 ? "" : ref.apiVersion().substring(0, slash);
    }
}
