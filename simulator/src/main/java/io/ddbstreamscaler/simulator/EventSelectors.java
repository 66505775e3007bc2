package io.ddbstreamscaler.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Field selectors on core/v1 Event lists, as the API server answers them: {@code kubectl describe} finds a
 * Deployment's Events with {@code fieldSelector=involvedObject.name=…,involvedObject.namespace=…,involvedObject.kind=…,
 * involvedObject.uid=…}. The CRUD store only knows metadata.name and metadata.namespace and would match nothing; here
 * the Event fields the API server supports are taken out of the query and applied to the stored list. A list asked
 * for as a Table ({@code kubectl get events}) gets the API server's columns ({@link EventTable}).
 */
final class EventSelectors {

    private static final Pattern EVENT_LIST = Pattern.compile("^/api/v1/(?:namespaces/[^/]+/)?events$");
    private static final Pattern REQUIREMENT = Pattern.compile("^([A-Za-z.]+)\\s*(!=|==|=)\\s*(.*)$");
    /** The Event fields the API server selects on (pkg/registry/core/event/strategy.go ToSelectableFields). */
    private static final Map<String, String[]> FIELDS = Map.of(
            "involvedObject.kind", new String[] {"involvedObject", "kind"},
            "involvedObject.namespace", new String[] {"involvedObject", "namespace"},
            "involvedObject.name", new String[] {"involvedObject", "name"},
            "involvedObject.uid", new String[] {"involvedObject", "uid"},
            "involvedObject.apiVersion", new String[] {"involvedObject", "apiVersion"},
            "involvedObject.fieldPath", new String[] {"involvedObject", "fieldPath"},
            "reason", new String[] {"reason"},
            "reportingComponent", new String[] {"reportingComponent"},
            "source", new String[] {"source", "component"},
            "type", new String[] {"type"});
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Requirement(String[] path, boolean equal, String value) {
        boolean matches(JsonNode item) {
            JsonNode node = item;
            for (String step : path) {
                node = node == null ? null : node.get(step);
            }
            String actual = node == null || node.isNull() ? "" : node.asText();
            return actual.equals(value) == equal;
        }
    }

    private EventSelectors() {
    }

    /** The filtered list, or null when the request is not a GET of an Event list with an Event field selector. */
    static MockResponse answer(RecordedRequest request, KubernetesCrudDispatcher crud) {
        String path = request.getPath();
        int q = path.indexOf('?');
        if (!"GET".equals(request.getMethod()) || q < 0 || !EVENT_LIST.matcher(path.substring(0, q)).matches()) {
            return null;
        }
        List<String> passOn = new ArrayList<>();
        List<String> keptTerms = new ArrayList<>();
        List<Requirement> requirements = new ArrayList<>();
        for (String param : path.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (!"fieldSelector".equals(name)) {
                passOn.add(param);
                continue;
            }
            for (String term : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8).split(",")) {
                Matcher m = REQUIREMENT.matcher(term.trim());
                if (m.matches() && FIELDS.containsKey(m.group(1))) {
                    requirements.add(new Requirement(FIELDS.get(m.group(1)), !"!=".equals(m.group(2)), m.group(3)));
                } else if (!term.isBlank()) {
                    keptTerms.add(term);
                }
            }
        }
        String accept = request.getHeader("Accept");
        boolean table = accept != null && accept.contains("as=Table");
        if (requirements.isEmpty() && !table) {
            return null;
        }
        if (!keptTerms.isEmpty()) {
            passOn.add("fieldSelector=" + URLEncoder.encode(String.join(",", keptTerms), StandardCharsets.UTF_8));
        }
        String listPath = path.substring(0, q) + (passOn.isEmpty() ? "" : "?" + String.join("&", passOn));
        MockResponse listed = crud.dispatch(new RecordedRequest("GET " + listPath + " HTTP/1.1", HttpMethod.GET,
                listPath, Headers.builder().build(), new Buffer()));
        if (listed.code() != 200) {
            return listed;
        }
        try {
            ObjectNode list = (ObjectNode) JSON.readTree(listed.getBody().readUtf8());
            ArrayNode kept = JSON.createArrayNode();
            for (JsonNode item : list.path("items")) {
                if (requirements.stream().allMatch(r -> r.matches(item))) {
                    kept.add(item);
                }
            }
            list.set("items", kept);
            // The CRUD store answers kind List, which kubectl's typed client cannot read as an EventList.
            list.put("kind", "EventList");
            return KubeApiDispatcher.json(200, table ? EventTable.of(list, Instant.now()) : list);
        } catch (IOException | ClassCastException e) {
            return KubeApiDispatcher.status(500, "InternalError", "the simulator could not filter the Event list");
        }
    }
}
