package io.ddbstreamscaler.trigger;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trigger's resolved authentication parameters (KEDA's {@code AuthParams}) and pod identity.
 *
 * @param values            parameter → value, blank values left out (KEDA treats "" as unset)
 * @param pending           parameters whose Secret is not in the files: present, value known only at run time
 * @param unresolvedSecrets "namespace/name" of those Secrets
 */
record AuthParams(Map<String, String> values, Set<String> pending, List<String> unresolvedSecrets,
                  String podIdentityProvider, String podIdentityRoleArn) {

    static final AuthParams NONE = new AuthParams(Map.of(), Set.of(), List.of(), null, null);

    AuthParams {
        values = Map.copyOf(values);
        pending = Set.copyOf(pending);
        unresolvedSecrets = List.copyOf(unresolvedSecrets);
    }

    /** Set, or pending: for KEDA's precedence a pending parameter counts as set. */
    boolean has(String parameter) {
        return values.containsKey(parameter) || pending.contains(parameter);
    }

    /** The value, null when unset or pending. */
    String get(String parameter) {
        return values.get(parameter);
    }

    @Override
    public String toString() {
        return "AuthParams[set=" + values.keySet().stream().sorted().toList() + ", pending=" + pending + "]";
    }
}
