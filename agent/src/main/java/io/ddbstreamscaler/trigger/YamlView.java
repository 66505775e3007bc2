package io.ddbstreamscaler.trigger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed, read-only view of one YAML mapping that knows its own path ({@code spec.triggers[0].metadata}), so every
 * wrong value becomes an error naming the field. Values of the wrong shape are reported and read as absent.
 */
final class YamlView {

    private final Map<?, ?> map;
    private final String path;
    private final Problems problems;

    YamlView(Map<?, ?> map, String path, Problems problems) {
        this.map = map;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The mapping's keys, as text, in document order. */
    List<String> keys() {
        return map.keySet().stream().map(String::valueOf).toList();
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    /** A scalar as text, trimmed; absent, null and blank all read as null (KEDA: a blank value counts as absent). */
    String string(String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (!isScalar(value)) {
            problems.add(path(key), "must be a single value, got " + shape(value));
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    /**
     * A whole number of an int32 field (the Kubernetes API types these fields as int32, so a quoted "3" is rejected
     * there too), at least {@code min}; null when absent or wrong.
     */
    Integer integer(String key, int min) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
            problems.add(path(key), "must be a whole number, got " + describe(value));
            return null;
        }
        BigInteger number = new BigInteger(value.toString());
        if (number.bitLength() > 31) {
            problems.add(path(key), "must fit in 32 bits, got " + number);
            return null;
        }
        if (number.intValue() < min) {
            problems.add(path(key), "must be at least " + min + ", got " + number);
            return null;
        }
        return number.intValue();
    }

    /** A nested mapping, or null when absent or not a mapping. */
    YamlView object(String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> nested)) {
            problems.add(path(key), "must be a mapping, got " + shape(value));
            return null;
        }
        return new YamlView(nested, path(key), problems);
    }

    /** A list of mappings; wrong items are reported and left out. */
    List<YamlView> objects(String key) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            problems.add(path(key), "must be a list, got " + shape(value));
            return List.of();
        }
        List<YamlView> views = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path(key) + "[" + i + "]";
            if (items.get(i) instanceof Map<?, ?> item) {
                views.add(new YamlView(item, itemPath, problems));
            } else {
                problems.add(itemPath, "must be a mapping, got " + shape(items.get(i)));
                views.add(null);
            }
        }
        return views;
    }

    /** A mapping of scalars as text (trigger metadata, annotations, Secret data); values are not trimmed here. */
    Map<String, String> strings(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> entries)) {
            problems.add(path(key), "must be a mapping, got " + shape(value));
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            String name = String.valueOf(k);
            if (v == null) {
                return;
            }
            if (isScalar(v)) {
                result.put(name, v.toString());
            } else {
                // The value is not printed: it may be a credential.
                problems.add(path(key) + "." + name, "must be a single value, got " + shape(v));
            }
        });
        return result;
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    static String shape(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof byte[]) {
            return "binary data";
        }
        return value instanceof String ? "text" : value.getClass().getSimpleName().toLowerCase();
    }

    /** A short description of a non-secret value, for messages. */
    static String describe(Object value) {
        if (value instanceof String text) {
            return quote(text);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return shape(value);
    }

    static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
