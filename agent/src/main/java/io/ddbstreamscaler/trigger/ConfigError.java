package io.ddbstreamscaler.trigger;

import java.nio.file.Path;

/**
 * One user error in the trigger files: where it is (file, object, trigger, field) and what is wrong with which value.
 * Messages never carry a credential value.
 *
 * @param file         the file the error is in, null when it concerns no single file
 * @param object       "ScaledObject ns/name" ({@code kind namespace/name}), or "document N" when the object has no name yet
 * @param triggerIndex index in {@code spec.triggers}, null when the error is not about one trigger
 * @param field        the YAML path, e.g. {@code spec.triggers[0].metadata.shardCount}; null for whole-document errors
 * @param message      what is wrong, with the bad value (never a secret)
 */
public record ConfigError(Path file, String object, Integer triggerIndex, String field, String message) {

    /** One readable line: {@code file: object: field: message}, leaving out the parts that are unknown. */
    public String format() {
        StringBuilder line = new StringBuilder();
        if (file != null) {
            line.append(file).append(": ");
        }
        if (object != null) {
            line.append(object).append(": ");
        }
        if (field != null) {
            line.append(field).append(": ");
        }
        return line.append(message).toString();
    }
}
