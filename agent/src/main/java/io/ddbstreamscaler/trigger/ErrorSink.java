package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects the errors of one object, so that all of them are reported together. */
final class ErrorSink implements Problems {

    private final Path file;
    private final String object;
    private final List<ConfigError> errors = new ArrayList<>();

    ErrorSink(Path file, String object) {
        this.file = file;
        this.object = object;
    }

    @Override
    public void add(String field, String message) {
        errors.add(new ConfigError(file, object, null, field, message));
    }

    /** The problems of one trigger: the same object, every error tagged with the trigger index. */
    Problems forTrigger(int index) {
        return (field, message) -> errors.add(new ConfigError(file, object, index, field, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    List<ConfigError> errors() {
        return List.copyOf(errors);
    }
}
