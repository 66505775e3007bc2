package io.ddbstreamscaler.trigger;

import java.util.Map;
import java.util.Optional;

/** Where Secrets come from: the trigger files first, then (in the agent) the cluster. */
@FunctionalInterface
public interface SecretSource {

    /** The single "holds nothing" source: the loader tells it apart by identity (see {@link #none()}). */
    SecretSource NONE = (namespace, name) -> Optional.empty();

    /** The Secret's keys and decoded values, or empty when this source does not hold it. */
    Optional<Map<String, String>> find(String namespace, String name);

    /**
     * A source that holds nothing: Secrets not in the files are "resolved at run time" (a note, not an error). Any
     * other source is taken to be the cluster, and a Secret missing from it is an error.
     */
    static SecretSource none() {
        return NONE;
    }
}
