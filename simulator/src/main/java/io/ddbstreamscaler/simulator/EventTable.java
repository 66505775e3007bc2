package io.ddbstreamscaler.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Event list as the API server's Table for {@code kubectl get events} (its columns LAST SEEN, TYPE, REASON,
 * OBJECT, MESSAGE; kubectl prints what the server sends and falls back to NAME and AGE without it).
 */
final class EventTable {

    private EventTable() {
    }

    static Map<String, Object> of(JsonNode list, Instant now) {
        List<Map<String, Object>> columns = List.of(column("Last Seen"), column("Type"), column("Reason"),
                column("Object"), column("Message"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode e : list.path("items")) {
            JsonNode involved = e.path("involvedObject");
            List<Object> cells = List.of(age(e.path("lastTimestamp").asText(null), now), e.path("type").asText(""),
                    e.path("reason").asText(""),
                    involved.path("kind").asText("").toLowerCase() + "/" + involved.path("name").asText(""),
                    e.path("message").asText(""));
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("kind", "PartialObjectMetadata");
            object.put("apiVersion", "meta.k8s.io/v1");
            object.put("metadata", e.path("metadata"));
            rows.add(Map.of("cells", cells, "object", object));
        }
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.put("metadata", Map.of("resourceVersion", list.path("metadata").path("resourceVersion").asText("")));
        table.put("columnDefinitions", columns);
        table.put("rows", rows);
        return table;
    }

    private static Map<String, Object> column(String name) {
        return Map.of("name", name, "type", "string", "format", "", "description", "", "priority", 0);
    }

    /** A coarse age (the real server prints kubectl's finer one); the simulator needs it readable, not exact. */
    static String age(String timestamp, Instant now) {
        if (timestamp == null) {
            return "<unknown>";
        }
        try {
            long s = Math.max(0, Duration.between(Instant.parse(timestamp), now).getSeconds());
            return s < 120 ? s + "s" : s < 3 * 3600 ? s / 60 + "m" : s < 48 * 3600 ? s / 3600 + "h" : s / 86400 + "d";
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }
}
