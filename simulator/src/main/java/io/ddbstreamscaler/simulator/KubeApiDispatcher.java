package io.ddbstreamscaler.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The simulator's request handling, in front of fabric8's CRUD dispatcher:
 * <ul>
 *   <li>{@code /scale} as the API server serves it (raw CRUD mode treats it as the parent object, and a PUT of a Scale
 *       would replace the Deployment): GET returns an autoscaling/v1 Scale with {@code status.selector}; PUT and PATCH
 *       change the parent's {@code spec.replicas} (and, standing in for the controllers, its status); a stale
 *       resourceVersion gets 409 Conflict;</li>
 *   <li>field selectors on Event lists ({@link EventSelectors}), which {@code kubectl describe} sends;</li>
 *   <li>static discovery ({@code /api}, {@code /apis}, {@code /version}, resource lists) so kubectl works;</li>
 *   <li>injected faults (status codes for matching requests) and a request log.</li>
 * </ul>
 */
public final class KubeApiDispatcher extends Dispatcher {

    /** One request as the simulator saw it. */
    public record LoggedRequest(Instant at, String method, String path, String body) {
    }

    /** Answer {@code status} to the next {@code times} requests (-1: until cleared) whose method and path match. */
    public record Fault(String method, Pattern path, int status, int times) {
    }

    private static final Pattern SCALE = Pattern.compile(
            "^(/apis?/(?:[^/]+/)?[^/]+/namespaces/([^/]+)/([^/]+)/([^/?]+))/scale(?:\\?.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesCrudDispatcher crud;
    private final List<LoggedRequest> log = new CopyOnWriteArrayList<>();
    private final List<int[]> faultCounts = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    KubeApiDispatcher(KubernetesCrudDispatcher crud) {
        this.crud = crud;
    }

    public List<LoggedRequest> requests() {
        return List.copyOf(log);
    }

    public void clearLog() {
        log.clear();
    }

    /** Requests whose method and path (without query) match, e.g. ("PUT", ".../deployments/x/scale"). */
    public List<LoggedRequest> requests(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return log.stream().filter(r -> r.method().equals(method) && p.matcher(stripQuery(r.path())).matches()).toList();
    }

    public synchronized void inject(String method, String pathRegex, int status, int times) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), status, times));
        faultCounts.add(new int[] {times});
    }

    public synchronized void clearFaults() {
        faults.clear();
        faultCounts.clear();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        String method = request.getMethod();
        // getBytes() leaves the buffer unread for the CRUD dispatcher (readUtf8 would drain it).
        String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
        log.add(new LoggedRequest(Instant.now(), method, path, body));
        Integer fault = takeFault(method, stripQuery(path));
        if (fault != null) {
            return status(fault, reasonOf(fault), "injected fault for " + method + " " + stripQuery(path));
        }
        MockResponse discovery = KubeDiscovery.answer(stripQuery(path));
        if (discovery != null) {
            return discovery;
        }
        Matcher scale = SCALE.matcher(path);
        if (scale.matches()) {
            return scale(request, scale.group(1), scale.group(2), scale.group(4));
        }
        MockResponse events = EventSelectors.answer(request, crud);
        if (events != null) {
            return events;
        }
        return crud.dispatch(request);
    }

    private synchronized Integer takeFault(String method, String path) {
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            int[] left = faultCounts.get(i);
            if ((f.method() == null || f.method().equals(method)) && f.path().matcher(path).matches() && left[0] != 0) {
                if (left[0] > 0) {
                    left[0]--;
                }
                return f.status();
            }
        }
        return null;
    }

    private MockResponse scale(RecordedRequest request, String parentPath, String namespace, String name) {
        Map<String, Object> parent = read(parentPath);
        if (parent == null) {
            return status(404, "NotFound", "the server could not find the requested resource (" + name + ")");
        }
        switch (request.getMethod()) {
            case "GET":
                return json(200, scaleOf(parent, namespace, name));
            case "PUT":
            case "PATCH": {
                Map<String, Object> body = parse(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
                if (body == null) {
                    return status(400, "BadRequest", "the body is not a JSON object");
                }
                String sentVersion = stringAt(body, "metadata", "resourceVersion");
                String storedVersion = stringAt(parent, "metadata", "resourceVersion");
                // The API server's optimistic concurrency: a write carrying an old resourceVersion is refused.
                if (sentVersion != null && !sentVersion.isEmpty() && !Objects.equals(sentVersion, storedVersion)) {
                    return status(409, "Conflict", "Operation cannot be fulfilled on " + name
                            + ": the object has been modified; please apply your changes to the latest version and try again");
                }
                Object replicas = mapAt(body, "spec") == null ? null : mapAt(body, "spec").get("replicas");
                if (!(replicas instanceof Number n) || n.intValue() < 0) {
                    return status(422, "Invalid", "spec.replicas: must be a whole number >= 0");
                }
                setReplicas(parentPath, n.intValue());
                return json(200, scaleOf(read(parentPath), namespace, name));
            }
            default:
                return status(405, "MethodNotAllowed", request.getMethod() + " is not allowed on /scale");
        }
    }

    private void setReplicas(String parentPath, int replicas) {
        String spec = "{\"spec\":{\"replicas\":" + replicas + "}}";
        // Nothing runs controllers here: set the status the controller would converge to.
        String status = "{\"status\":{\"replicas\":" + replicas + ",\"readyReplicas\":" + replicas
                + ",\"availableReplicas\":" + replicas + ",\"updatedReplicas\":" + replicas + "}}";
        crud.dispatch(patch(parentPath, spec));
        crud.dispatch(patch(parentPath + "/status", status));
        crud.dispatch(patch(parentPath, status));
    }

    private static RecordedRequest patch(String path, String mergePatch) {
        Headers headers = Headers.builder().add("Content-Type", "application/merge-patch+json").build();
        return new RecordedRequest("PATCH " + path + " HTTP/1.1", HttpMethod.PATCH, path, headers,
                new Buffer(mergePatch.getBytes(StandardCharsets.UTF_8)));
    }

    private Map<String, Object> read(String path) {
        MockResponse response = crud.handleGet(path);
        if (response.code() != 200) {
            return null;
        }
        return parse(response.getBody().readUtf8());
    }

    static Map<String, Object> scaleOf(Map<String, Object> parent, String namespace, String name) {
        Map<String, Object> meta = mapAt(parent, "metadata");
        Map<String, Object> spec = mapAt(parent, "spec");
        Map<String, Object> status = mapAt(parent, "status");
        Object replicas = spec == null || spec.get("replicas") == null ? 1 : spec.get("replicas");
        Map<String, Object> scale = new LinkedHashMap<>();
        scale.put("apiVersion", "autoscaling/v1");
        scale.put("kind", "Scale");
        Map<String, Object> scaleMeta = new LinkedHashMap<>();
        scaleMeta.put("name", name);
        scaleMeta.put("namespace", namespace);
        scaleMeta.put("resourceVersion", meta == null ? null : meta.get("resourceVersion"));
        scaleMeta.put("uid", meta == null ? null : meta.get("uid"));
        scale.put("metadata", scaleMeta);
        // As the API server: autoscaling/v1 ScaleSpec's replicas is `omitempty`, so a Scale of 0 replicas has `spec: {}`.
        scale.put("spec", ((Number) replicas).intValue() == 0 ? Map.of() : Map.of("replicas", replicas));
        Map<String, Object> scaleStatus = new LinkedHashMap<>();
        scaleStatus.put("replicas", status == null || status.get("replicas") == null ? 0 : status.get("replicas"));
        scaleStatus.put("selector", selectorOf(spec));
        scale.put("status", scaleStatus);
        return scale;
    }

    /** The label selector as a string, as the Scale's status.selector carries it. */
    private static String selectorOf(Map<String, Object> spec) {
        Map<String, Object> selector = spec == null ? null : mapAt(spec, "selector");
        Map<String, Object> labels = selector == null ? null : mapAt(selector, "matchLabels");
        if (labels == null) {
            return "";
        }
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapAt(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    private static String stringAt(Map<String, Object> map, String outer, String inner) {
        Map<String, Object> m = mapAt(map, outer);
        return m == null || m.get(inner) == null ? null : m.get(inner).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            Object value = JSON.readValue(json, Object.class);
            return value instanceof Map ? (Map<String, Object>) value : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static MockResponse json(int code, Object body) {
        try {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                    .setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A metav1.Status as the API server answers errors. */
    static MockResponse status(int code, String reason, String message) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("apiVersion", "v1");
        status.put("kind", "Status");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return json(code, status);
    }

    private static String reasonOf(int code) {
        return switch (code) {
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            default -> "Unknown";
        };
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
