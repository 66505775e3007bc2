package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.List;

/**
 * A TriggerAuthentication or ClusterTriggerAuthentication read from a trigger file (the parts an AWS trigger uses).
 *
 * @param namespace           the object's namespace; for a ClusterTriggerAuthentication, the namespace its Secrets live in
 * @param podIdentityProvider {@code spec.podIdentity.provider}, null when unset
 * @param podIdentityRoleArn  {@code spec.podIdentity.roleArn}, null when unset
 * @param valid               false when the object had errors (reported on their own)
 */
record TriggerAuthManifest(Path file, String kind, String namespace, String name, List<SecretTargetRef> secretTargetRefs,
                           List<EnvRef> env, String podIdentityProvider, String podIdentityRoleArn, boolean valid) {

    static final String NAMESPACED = "TriggerAuthentication";
    static final String CLUSTER = "ClusterTriggerAuthentication";

    /** {@code spec.secretTargetRef[]}: auth parameter {@code parameter} is key {@code key} of Secret {@code name}. */
    record SecretTargetRef(String parameter, String name, String key) {
    }

    /** {@code spec.env[]}: auth parameter {@code parameter} is environment variable {@code name}. */
    record EnvRef(String parameter, String name) {
    }

    TriggerAuthManifest {
        secretTargetRefs = List.copyOf(secretTargetRefs);
        env = List.copyOf(env);
    }

    String label() {
        return CLUSTER.equals(kind) ? kind + " " + name : kind + " " + namespace + "/" + name;
    }
}
