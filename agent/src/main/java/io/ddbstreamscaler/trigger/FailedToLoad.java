package io.ddbstreamscaler.trigger;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One object of the trigger files that does not load, with every error it has: the agent runs the others, and lists
 * these in {@code /observe/status} (the {@code status} command prints them).
 *
 * @param file            the file it is in; null for an error about no one file
 * @param object          "ScaledObject ns/name", "TriggerAuthentication ns/name", "document N (line L)"; null for a
 *                        whole-file error
 * @param errors          each "field: message" (the file and the object are above)
 * @param lastGoodRunning a ScaledObject whose earlier version loaded and keeps running
 */
public record FailedToLoad(Path file, String object, List<String> errors, boolean lastGoodRunning) {

    private static final String SCALED_OBJECT = "ScaledObject ";

    public FailedToLoad {
        errors = List.copyOf(errors);
    }

    /** The id (namespace/name) when the object is a ScaledObject, else null. */
    public String scaledObjectId() {
        return object != null && object.startsWith(SCALED_OBJECT) ? object.substring(SCALED_OBJECT.length()) : null;
    }

    /** The loader's errors grouped by file and object, in the order they were found. */
    public static List<FailedToLoad> of(List<ConfigError> errors, Set<String> runningIds) {
        Map<List<Object>, List<ConfigError>> byObject = new LinkedHashMap<>();
        for (ConfigError e : errors) {
            byObject.computeIfAbsent(java.util.Arrays.asList(e.file(), e.object()), k -> new ArrayList<>()).add(e);
        }
        List<FailedToLoad> failed = new ArrayList<>();
        byObject.forEach((key, list) -> {
            Path file = (Path) key.get(0);
            String object = (String) key.get(1);
            List<String> lines = list.stream()
                    .map(e -> new ConfigError(null, null, e.triggerIndex(), e.field(), e.message()).format()).toList();
            boolean running = object != null && object.startsWith(SCALED_OBJECT)
                    && runningIds.contains(object.substring(SCALED_OBJECT.length()));
            failed.add(new FailedToLoad(file, object, lines, running));
        });
        return List.copyOf(failed);
    }

    /** One line: file: object: first error (+ N more). */
    public String summary() {
        StringBuilder line = new StringBuilder();
        if (file != null) {
            line.append(file).append(": ");
        }
        if (object != null) {
            line.append(object).append(": ");
        }
        line.append(Objects.requireNonNullElse(errors.isEmpty() ? null : errors.get(0), "does not load"));
        if (errors.size() > 1) {
            line.append(" (and ").append(errors.size() - 1).append(" more)");
        }
        return line.toString();
    }
}
