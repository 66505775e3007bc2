package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** What a trigger parser needs to know about the ScaledObject around it and the world outside. */
record TriggerContext(Path file, String objectLabel, String namespace, AuthParamResolver resolver,
                      Function<String, String> env, List<String> warnings, List<String> notes) {
}
