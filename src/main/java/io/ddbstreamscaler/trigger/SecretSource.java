package io.ddbstreamscaler.trigger;

import java.util.Map;
import java.util.Optional;

/** Where Secrets come from: the trigger files first, then (in the agent) the cluster. */
@FunctionalInterface
public interface SecretSource {

    /** The Secret's keys and decoded values, or empty when this source does not hold it. */
    Optional<Map<String, String>> find(String namespace, String name);

    /** A source that holds nothing: Secrets not in the files are "resolved at run time". */
    static SecretSource none() {
        return (namespace, name) -> Optional.empty();
    }
}
