package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** What a trigger parser needs to know about the ScaledObject around it and the world outside. */
record TriggerContext(Path file, String objectLabel, String namespace, AuthParamResolver resolver,
                      Function<String, String> env, Warnings warnings, List<String> notes, List<String> skipped) {

    /** Warnings about this object's fields; under --strict they are errors in {@code problems}. */
    Problems warn(Problems problems) {
        return warnings.about(file, objectLabel, problems);
    }
}
