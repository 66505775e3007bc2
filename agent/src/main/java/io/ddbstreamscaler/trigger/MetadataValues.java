package io.ddbstreamscaler.trigger;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Trigger metadata as KEDA sees it: trimmed strings, a blank value counting as absent; typed reads report errors. */
final class MetadataValues {

    private final Map<String, String> values;
    private final String path;
    private final Problems problems;

    MetadataValues(Map<String, String> raw, String path, Problems problems) {
        Map<String, String> trimmed = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                trimmed.put(k, v.trim());
            }
        });
        this.values = trimmed;
        this.path = path;
        this.problems = problems;
    }

    Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    String field(String key) {
        return path + "." + key;
    }

    String string(String key) {
        return values.get(key);
    }

    String required(String key) {
        String value = values.get(key);
        if (value == null) {
            problems.add(field(key), "is required");
        }
        return value;
    }

    /** A whole number (as KEDA's strconv.ParseInt: "a" and "1.5" are errors), at least {@code min}. */
    long wholeNumber(String key, long fallback, long min) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            // Long.parseLong fails on 2^63 as on "a": say which, or "must be a whole number" reads as nonsense.
            problems.add(field(key), (value.matches("[+-]?\\d+") ? "must be a whole number of at most "
                    + Long.MAX_VALUE + " (and at least " + Long.MIN_VALUE + "), got " : "must be a whole number, got ")
                    + YamlView.quote(value));
            return fallback;
        }
        if (number < min) {
            problems.add(field(key), "must be at least " + min + ", got " + number);
            return fallback;
        }
        return number;
    }

    boolean bool(String key, boolean fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        problems.add(field(key), "must be true or false, got " + YamlView.quote(value));
        return fallback;
    }

    /** An absolute http(s) URL with a host, or null when unset or wrong. */
    URI url(String key) {
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && (uri.getScheme().equalsIgnoreCase("http")
                    || uri.getScheme().equalsIgnoreCase("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(field(key), "must be an http:// or https:// URL with a host, got " + YamlView.quote(value));
        return null;
    }
}
