package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves a trigger's {@code authenticationRef} into parameters, as KEDA's resolver does
 * ({@code pkg/scaling/resolver/scale_resolvers.go}): {@code env} from the environment, {@code secretTargetRef} from the
 * Secrets in the files first, then from the cluster source.
 */
final class AuthParamResolver {

    private final ManifestIndex index;
    private final SecretSource clusterSecrets;
    private final Function<String, String> env;

    AuthParamResolver(ManifestIndex index, SecretSource clusterSecrets, Function<String, String> env) {
        this.index = index;
        this.clusterSecrets = clusterSecrets;
        this.env = env;
    }

    /**
     * The reference's parameters; problems go to the trigger, notes collect "resolved at run time" lines. Null when a
     * problem was reported: choosing an identity from half the parameters would only add misleading errors.
     */
    AuthParams resolve(AuthRef ref, String namespace, Path file, String field, Problems problems, List<String> notes) {
        Optional<TriggerAuthManifest> found = index.auth(ref.kind(), namespace, ref.name(), file);
        String label = TriggerAuthManifest.CLUSTER.equals(ref.kind())
                ? ref.kind() + " " + ref.name() : ref.kind() + " " + namespace + "/" + ref.name();
        if (found.isEmpty()) {
            problems.add(field, label + " is not in the given files");
            return null;
        }
        TriggerAuthManifest auth = found.get();
        if (!auth.valid()) {
            problems.add(field, label + " has errors (reported with it)");
            return null;
        }
        Map<String, String> values = new HashMap<>();
        Set<String> pending = new HashSet<>();
        List<String> unresolved = new ArrayList<>();
        boolean failed = false;
        for (TriggerAuthManifest.EnvRef ref1 : auth.env()) {
            putIfSet(values, ref1.parameter(), env.apply(ref1.name()));
        }
        for (TriggerAuthManifest.SecretTargetRef secretRef : auth.secretTargetRefs()) {
            String secretId = auth.namespace() + "/" + secretRef.name();
            Optional<Map<String, String>> secret = index.secret(auth.namespace(), secretRef.name(), file)
                    .map(SecretManifest::values)
                    .or(() -> clusterSecrets.find(auth.namespace(), secretRef.name()));
            if (secret.isPresent()) {
                String value = secret.get().get(secretRef.key());
                if (value == null) {
                    failed = true;
                    problems.add(field, label + ": Secret " + secretId + " has no key " + YamlView.quote(secretRef.key())
                            + " (parameter " + secretRef.parameter() + ")");
                }
                putIfSet(values, secretRef.parameter(), value);
            } else if (clusterSecrets == SecretSource.none()) {
                pending.add(secretRef.parameter());
                if (!unresolved.contains(secretId)) {
                    unresolved.add(secretId);
                    notes.add("Secret " + secretId + " (used by " + label + ") is not in the given files:"
                            + " resolved at run time");
                }
            } else {
                failed = true;
                problems.add(field, label + ": Secret " + secretId + " is neither in the given files nor in the cluster");
            }
        }
        return failed ? null : new AuthParams(values, pending, unresolved, auth.podIdentityProvider(), auth.podIdentityRoleArn());
    }

    private static void putIfSet(Map<String, String> values, String parameter, String value) {
        if (value != null && !value.isBlank()) {
            values.put(parameter, value.trim());
        }
    }

    /** {@code triggers[].authenticationRef}: kind defaults to TriggerAuthentication, as in KEDA. */
    record AuthRef(String name, String kind) {
    }
}
