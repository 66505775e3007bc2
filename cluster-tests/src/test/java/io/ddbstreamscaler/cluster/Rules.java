package io.ddbstreamscaler.cluster;

import java.util.List;

/**
 * Role rules a user adds to the shipped Role for more scale targets, one per target, as docs/deploy.md words them:
 * YAML flow mappings for {@link TestNamespace#applyOverlay}'s JSON patch.
 */
final class Rules {

    private Rules() {
    }

    /** More Deployments: the rule the shipped Role has for nginx-deployment's /scale, with their names. */
    static List<String> deployments(String... names) {
        return List.of(scale("apps", "deployments", names));
    }

    /** Any other kind with a scale subresource: its /scale only. */
    static String scale(String apiGroup, String plural, String... names) {
        return "{apiGroups: [" + (apiGroup.isEmpty() ? "\"\"" : apiGroup) + "], resources: [" + plural + "/scale], "
                + "resourceNames: [" + String.join(", ", names) + "], verbs: [get, update]}";
    }
}
