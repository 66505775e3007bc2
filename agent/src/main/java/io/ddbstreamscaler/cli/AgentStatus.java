package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's {@code /observe/status} document, read for {@code status}: one entry per ScaledObject. Null stands for
 * "unknown" (a ScaledObject this agent does not lead has nulls for what it never read), so every field but the
 * ScaledObject's identity may be null or absent; a field of the wrong type is an error naming its path.
 */
record AgentStatus(List<ObjectStatus> scaledObjects, List<FailedObject> failedToLoad) {

    /** An object of the agent's trigger files that did not load (an agent older than this list sends none). */
    record FailedObject(String file, String object, List<String> errors, boolean lastGoodRunning) {

        /** file: object: error, one line per error. */
        List<String> lines() {
            String where = (file == null ? "" : file + ": ") + (object == null ? "" : object + ": ");
            return errors.isEmpty() ? List.of(where + "does not load") : errors.stream().map(e -> where + e).toList();
        }
    }

    record ObjectStatus(String namespace, String name, String targetKind, String targetName, Boolean leader,
                        Boolean active, Integer current, Integer desired, Integer min, Integer max,
                        List<TriggerStatus> triggers, String reason, Instant lastPoll, String lastError) {
    }

    /** @param finished shards the consumer finished, from its KCL lease table; null when the trigger reads none */
    record TriggerStatus(Long open, Long closed, Long total, Long metric, Long target, String error, Long finished) {

        TriggerStatus(Long open, Long closed, Long total, Long metric, Long target, String error) {
            this(open, closed, total, metric, target, error, null);
        }
    }

    /** The document is not of the agent's shape; the message names the path and what is wrong there. */
    static final class ShapeException extends Exception {
        ShapeException(String message) {
            super(message);
        }
    }

    static AgentStatus parse(JsonNode root) throws ShapeException {
        if (root == null || !root.isObject()) {
            throw new ShapeException("the document is not a JSON object");
        }
        JsonNode objects = root.get("scaledObjects");
        if (objects == null || !objects.isArray()) {
            throw new ShapeException("scaledObjects: " + (objects == null ? "missing" : "not an array")
                    + " (is this the agent's /observe/status?)");
        }
        List<ObjectStatus> parsed = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            parsed.add(object(objects.get(i), "scaledObjects[" + i + "]"));
        }
        return new AgentStatus(List.copyOf(parsed), failedToLoad(root.get("failedToLoad")));
    }

    private static List<FailedObject> failedToLoad(JsonNode list) throws ShapeException {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new ShapeException("failedToLoad: not an array");
        }
        List<FailedObject> failed = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "failedToLoad[" + i + "]";
            JsonNode f = list.get(i);
            if (!f.isObject()) {
                throw new ShapeException(path + ": not an object");
            }
            JsonNode errors = f.get("errors");
            List<String> lines = new ArrayList<>();
            if (errors != null && !errors.isNull()) {
                if (!errors.isArray()) {
                    throw new ShapeException(path + ".errors: not an array");
                }
                for (int j = 0; j < errors.size(); j++) {
                    if (!errors.get(j).isTextual()) {
                        throw new ShapeException(path + ".errors[" + j + "]: expected a string, got " + errors.get(j));
                    }
                    lines.add(errors.get(j).asText());
                }
            }
            Boolean running = bool(f, "lastGoodRunning", path);
            failed.add(new FailedObject(text(f, "file", path), text(f, "object", path), List.copyOf(lines),
                    Boolean.TRUE.equals(running)));
        }
        return List.copyOf(failed);
    }

    private static ObjectStatus object(JsonNode o, String path) throws ShapeException {
        if (!o.isObject()) {
            throw new ShapeException(path + ": not an object");
        }
        JsonNode target = o.get("target");
        if (target == null || !target.isObject()) {
            throw new ShapeException(path + ".target: " + (target == null ? "missing" : "not an object"));
        }
        JsonNode replicas = o.get("replicas");
        if (replicas != null && !replicas.isNull() && !replicas.isObject()) {
            throw new ShapeException(path + ".replicas: not an object");
        }
        JsonNode triggers = o.get("triggers");
        List<TriggerStatus> parsedTriggers = new ArrayList<>();
        if (triggers != null && !triggers.isNull()) {
            if (!triggers.isArray()) {
                throw new ShapeException(path + ".triggers: not an array");
            }
            for (int i = 0; i < triggers.size(); i++) {
                parsedTriggers.add(trigger(triggers.get(i), path + ".triggers[" + i + "]"));
            }
        }
        String lastPoll = text(o, "lastPoll", path);
        return new ObjectStatus(required(o, "namespace", path), required(o, "name", path),
                required(target, "kind", path + ".target"), required(target, "name", path + ".target"),
                bool(o, "leader", path), bool(o, "active", path),
                integer(replicas, "current", path + ".replicas"), integer(replicas, "desired", path + ".replicas"),
                integer(replicas, "min", path + ".replicas"), integer(replicas, "max", path + ".replicas"),
                List.copyOf(parsedTriggers), text(o, "reason", path), instant(lastPoll, path + ".lastPoll"),
                text(o, "lastError", path));
    }

    private static TriggerStatus trigger(JsonNode t, String path) throws ShapeException {
        if (!t.isObject()) {
            throw new ShapeException(path + ": not an object");
        }
        JsonNode shards = t.get("shards");
        if (shards != null && !shards.isNull() && !shards.isObject()) {
            throw new ShapeException(path + ".shards: not an object");
        }
        String shardsPath = path + ".shards";
        return new TriggerStatus(number(shards, "open", shardsPath), number(shards, "closed", shardsPath),
                number(shards, "total", shardsPath), number(t, "metric", path), number(t, "target", path),
                text(t, "error", path), number(shards, "finished", shardsPath));
    }

    private static String required(JsonNode node, String field, String path) throws ShapeException {
        String value = text(node, field, path);
        if (value == null || value.isEmpty()) {
            throw new ShapeException(path + "." + field + ": missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field, String path) throws ShapeException {
        JsonNode v = present(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ShapeException(path + "." + field + ": expected a string, got " + v);
        }
        return v.asText();
    }

    private static Boolean bool(JsonNode node, String field, String path) throws ShapeException {
        JsonNode v = present(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new ShapeException(path + "." + field + ": expected true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static Long number(JsonNode node, String field, String path) throws ShapeException {
        JsonNode v = present(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw new ShapeException(path + "." + field + ": expected a whole number, got " + v);
        }
        return v.asLong();
    }

    private static Integer integer(JsonNode node, String field, String path) throws ShapeException {
        Long v = number(node, field, path);
        return v == null ? null : Math.toIntExact(v);
    }

    private static Instant instant(String value, String path) throws ShapeException {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ShapeException(path + ": expected an RFC 3339 UTC time like 2026-12-01T08:00:00Z, got \""
                    + value + "\"");
        }
    }

    /** The field's value, or null when the node, the field or its value is absent or JSON null. */
    private static JsonNode present(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }
}
