package io.ddbstreamscaler.bench.keda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests to the API server by user, from its audit log (docs/local-cluster.md, "The audit log": one JSON event per
 * request at stage ResponseComplete): who asked the API server how often in a window. KEDA's side is three users (its
 * operator, its metrics adapter, and the HPA controller that reads KEDA's metrics and writes the scale); the agent's
 * is its ServiceAccount.
 */
public final class AuditCounts {

    public static final String KEDA_OPERATOR = "keda-operator";
    public static final String KEDA_ADAPTER = "keda-metrics-apiserver";
    public static final String HPA_CONTROLLER = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
    public static final String AGENT = "system:serviceaccount:keda-test:ddbstream-scaler";

    private final Map<String, Long> byUser;

    private AuditCounts(Map<String, Long> byUser) {
        this.byUser = byUser;
    }

    /** Requests received in [from, to), by user. */
    public static AuditCounts read(Path auditLog, Instant from, Instant to) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(auditLog, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                // Cheap filter first: the log has hundreds of thousands of lines after a fleet run.
                if (!line.contains("\"ResponseComplete\"")) {
                    continue;
                }
                JsonNode e = json.readTree(line);
                Instant at = Instant.parse(e.path("requestReceivedTimestamp").asText());
                if (at.isBefore(from) || !at.isBefore(to)) {
                    continue;
                }
                counts.merge(e.at("/user/username").asText(), 1L, Long::sum);
            }
        }
        return new AuditCounts(counts);
    }

    public long of(String user) {
        return byUser.getOrDefault(user, 0L);
    }

    /** KEDA's operator, its adapter and the HPA controller together. */
    public long keda() {
        return of(KEDA_OPERATOR) + of(KEDA_ADAPTER) + of(HPA_CONTROLLER);
    }

    public long agent() {
        return of(AGENT);
    }
}
