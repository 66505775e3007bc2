package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where "this loads, but may not be what you meant" goes: a warning line naming the file, the object and the field;
 * with {@code --strict}, an error of the object it is about instead, so that object does not load.
 */
final class Warnings {

    /** Appended to a warning turned into an error, so the reader knows why a warning stops the object. */
    static final String STRICT = " (an error with --strict)";

    private final boolean strict;
    private final List<String> lines = new ArrayList<>();

    Warnings(boolean strict) {
        this.strict = strict;
    }

    boolean strict() {
        return strict;
    }

    /** The warnings of one object: {@code problems} receives them under --strict. */
    Problems about(Path file, String object, Problems problems) {
        return (field, message) -> {
            if (strict) {
                problems.add(field, message + STRICT);
            } else {
                lines.add(new ConfigError(file, object, null, field, message).format());
            }
        };
    }

    /** A warning about no single object's field; under --strict it is {@code asError} in {@code errors}. */
    void add(ConfigError asError, List<ConfigError> errors) {
        if (strict) {
            errors.add(new ConfigError(asError.file(), asError.object(), asError.triggerIndex(), asError.field(),
                    asError.message() + STRICT));
        } else {
            lines.add(asError.format());
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
