package io.ddbstreamscaler.trigger;

import java.util.List;

/**
 * What {@link TriggerConfigLoader#load} found: the valid ScaledObjects, and the errors, warnings and notes of the rest.
 * An invalid object never hides a valid one: {@code scaledObjects} holds every valid object even when {@code errors}
 * is not empty.
 *
 * @param warnings things that work but may not be what the user meant (unknown metadata keys, deprecated providers, ...)
 * @param notes    information, e.g. a Secret that is "resolved at run time" from the cluster
 * @param skipped  what is not ours and was left alone: other scalers' ScaledObjects, other trigger types beside ours
 */
public record LoadResult(List<ScaledObjectConfig> scaledObjects, List<ConfigError> errors, List<String> warnings,
                         List<String> notes, List<String> skipped) {

    public LoadResult {
        scaledObjects = List.copyOf(scaledObjects);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
        skipped = List.copyOf(skipped);
    }

    /** True when no object had an error. */
    public boolean ok() {
        return errors.isEmpty();
    }
}
