package io.ddbstreamscaler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The API server's audit log (docs/local-cluster.md, "The audit log"): one JSON {@code audit.k8s.io/v1} Event per line,
 * level Metadata, written before the response is sent (blocking mode), so what a request did is in the file by the time
 * its caller has the answer. Only the {@code ResponseComplete} stage is read: one event per finished request.
 */
final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished request. {@code pod} is the Pod a bound token names, null for other tokens. */
    record Request(Instant received, Instant completed, String user, String pod, String verb, String apiGroup,
                   String resource, String subresource, String namespace, String name, int code, String uri) {

        /** RBAC's name for what was asked: {@code deployments/scale}, {@code leases}. */
        String rbacResource() {
            return subresource.isEmpty() ? resource : resource + "/" + subresource;
        }

        boolean ok() {
            return code >= 200 && code < 300;
        }

        /** A write (anything but get, list, watch). */
        boolean write() {
            return !verb.equals("get") && !verb.equals("list") && !verb.equals("watch");
        }

        @Override
        public String toString() {
            return received + " " + user + (pod == null ? "" : "@" + pod) + " " + verb + " " + uri + " " + code;
        }
    }

    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    /** Every finished request so far, in the order the API server wrote them. */
    List<Request> requests() {
        List<Request> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                // A line being written as we read may be cut: only whole lines are events.
                if (!line.endsWith("}") || !line.contains("\"ResponseComplete\"")) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                if (!"ResponseComplete".equals(e.path("stage").asText())) {
                    continue;
                }
                JsonNode ref = e.path("objectRef");
                JsonNode pod = e.path("user").path("extra").path("authentication.kubernetes.io/pod-name");
                out.add(new Request(Instant.parse(e.path("requestReceivedTimestamp").asText()),
                        Instant.parse(e.path("stageTimestamp").asText()),
                        e.path("user").path("username").asText(),
                        pod.isArray() && !pod.isEmpty() ? pod.get(0).asText() : null,
                        e.path("verb").asText(), ref.path("apiGroup").asText(""), ref.path("resource").asText(""),
                        ref.path("subresource").asText(""), ref.path("namespace").asText(""), ref.path("name").asText(""),
                        e.path("responseStatus").path("code").asInt(), e.path("requestURI").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    List<Request> requests(Predicate<Request> which) {
        return requests().stream().filter(which).toList();
    }

    /**
     * The ServiceAccount the shipped RoleBinding binds in each namespace (TestNamespace#applyOverlay records it): the
     * standalone overlay's own {@code ddbstream-scaler}, the sidecar's the consumer's (k8s/components/sidecar).
     */
    private static final Map<String, String> SERVICE_ACCOUNTS = new ConcurrentHashMap<>();

    static void agentServiceAccount(String namespace, String serviceAccount) {
        SERVICE_ACCOUNTS.put(namespace, serviceAccount);
    }

    static String agentServiceAccount(String namespace) {
        return SERVICE_ACCOUNTS.getOrDefault(namespace, "ddbstream-scaler");
    }

    /** The user name of the ServiceAccount the agent of a namespace runs as. */
    static String agentUser(String namespace) {
        return "system:serviceaccount:" + namespace + ":" + agentServiceAccount(namespace);
    }

    static Predicate<Request> byAgentOf(String namespace) {
        return r -> r.user().equals(agentUser(namespace));
    }

    /** The agent's writes to a /scale subresource that the API server accepted. */
    static Predicate<Request> scaleWrite() {
        return r -> r.subresource().equals("scale") && r.write() && r.ok();
    }
}
