package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status document read and rendered as kubectl get hpa would: one row per ScaledObject. */
class StatusTableTest {

    static final Instant NOW = Instant.parse("2026-12-01T08:00:12Z");
    static final ObjectMapper JSON = new ObjectMapper();

    /** The integrator's example document, its first ScaledObject, with {@code %s} for the triggers. */
    static String object(String triggers, String extra) {
        return """
                {"namespace": "keda-test", "name": "orders",
                 "target": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "consumer"},
                 "leader": true, "paused": false, "active": true, "fallback": false,
                 "replicas": {"current": 2, "desired": 3, "min": 1, "max": 50},
                 "triggers": [%s],
                 "reason": "ScaleUp", "lastPoll": "2026-12-01T08:00:00Z", "lastError": null %s}"""
                .formatted(triggers, extra);
    }

    static final String TRIGGER = """
            {"index": 0, "table": "orders", "region": "us-east-1", "countClosedShards": true,
             "shards": {"open": 3, "closed": 2, "total": 5}, "metric": 5, "target": 2, "error": null}""";

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("the contract's example", object(TRIGGER, ""),
                        List.of("keda-test", "orders", "Deployment/consumer", "3/2/5", "5/2", "1", "50", "2", "3",
                                "True", "True", "12s", "ScaleUp")),
                Arguments.of("two triggers, comma separated", object(TRIGGER + ", " + TRIGGER.replace("\"open\": 3", "\"open\": 7")
                                .replace("\"metric\": 5", "\"metric\": 9").replace("\"total\": 5", "\"total\": 9"), ""),
                        List.of("keda-test", "orders", "Deployment/consumer", "3/2/5,7/2/9", "5/2,9/2", "1", "50", "2",
                                "3", "True", "True", "12s", "ScaleUp")),
                Arguments.of("not led here: nulls for what it never read", """
                                {"namespace": "keda-test", "name": "payments",
                                 "target": {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "payer"},
                                 "leader": false, "paused": null, "active": null, "fallback": null,
                                 "replicas": {"current": null, "desired": null, "min": 0, "max": 10},
                                 "triggers": [{"index": 0, "table": "payments", "shards": null, "metric": null,
                                               "target": 4, "error": null}],
                                 "reason": null, "lastPoll": null, "lastError": null}""",
                        List.of("keda-test", "payments", "StatefulSet/payer", "<unknown>", "<unknown>/4", "0", "10",
                                "<unknown>", "<unknown>", "Unknown", "False", "<none>", "<none>")),
                Arguments.of("replicas and triggers absent altogether", """
                                {"namespace": "a", "name": "b", "target": {"kind": "Deployment", "name": "c"}}""",
                        List.of("a", "b", "Deployment/c", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>",
                                "<unknown>", "Unknown", "Unknown", "<none>", "<none>")),
                Arguments.of("inactive, polled 3 minutes ago", object(TRIGGER, "")
                                .replace("\"active\": true", "\"active\": false")
                                .replace("08:00:00Z", "07:57:12Z").replace("ScaleUp", "ScaleToZero"),
                        List.of("keda-test", "orders", "Deployment/consumer", "3/2/5", "5/2", "1", "50", "2", "3",
                                "False", "True", "3m", "ScaleToZero")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rendersOneRowPerScaledObject(String name, String objectJson, List<String> expected) throws Exception {
        AgentStatus status = AgentStatus.parse(JSON.readTree("{\"scaledObjects\": [" + objectJson + "]}"));
        assertEquals(expected, StatusTable.row(status.scaledObjects().get(0), NOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theTableAlignsItsColumnsUnderTheHeaders(String name, String objectJson, List<String> expected) throws Exception {
        String table = StatusTable.render(AgentStatus.parse(JSON.readTree("{\"scaledObjects\": [" + objectJson + "]}")), NOW);
        List<String> lines = table.lines().toList();
        assertEquals(2, lines.size(), table);
        assertTrue(lines.get(0).startsWith("NAMESPACE   NAME"), table);
        // Each cell starts where its header starts (headers found left to right: NAME is also in NAMESPACE).
        int at = -1;
        for (int c = 0; c < StatusTable.HEADERS.size(); c++) {
            at = lines.get(0).indexOf(StatusTable.HEADERS.get(c), at + 1);
            assertEquals(expected.get(c), lines.get(1).substring(at).split("   ")[0].strip(), table);
        }
    }

    static Stream<Arguments> ages() {
        return Stream.of(
                Arguments.of("now", Duration.ZERO, "0s"),
                Arguments.of("clock 1.5 s ahead is now", Duration.ofMillis(-1500), "0s"),
                Arguments.of("clock far ahead", Duration.ofSeconds(-5), "<invalid>"),
                Arguments.of("seconds up to two minutes", Duration.ofSeconds(119), "119s"),
                Arguments.of("two minutes", Duration.ofSeconds(120), "2m"),
                Arguments.of("minutes and seconds under ten minutes", Duration.ofSeconds(185), "3m5s"),
                Arguments.of("minutes only from ten", Duration.ofMinutes(45).plusSeconds(30), "45m"),
                Arguments.of("hours and minutes from three hours", Duration.ofMinutes(185), "3h5m"),
                Arguments.of("hours only from eight", Duration.ofHours(20).plusMinutes(10), "20h"),
                Arguments.of("days and hours from two days", Duration.ofHours(53), "2d5h"),
                Arguments.of("days from eight", Duration.ofDays(40), "40d"),
                Arguments.of("years and days", Duration.ofDays(365 * 3 + 10), "3y10d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ages")
    void agesAsKubectlPrintsThem(String name, Duration age, String expected) {
        assertEquals(expected, StatusTable.age(age));
    }

    static Stream<Arguments> shapeErrors() {
        return Stream.of(
                Arguments.of("an array", "[]", "the document is not a JSON object"),
                Arguments.of("the health document", "{\"status\": \"UP\"}", "scaledObjects: missing"),
                Arguments.of("scaledObjects not an array", "{\"scaledObjects\": {}}", "scaledObjects: not an array"),
                Arguments.of("no target", "{\"scaledObjects\": [{\"namespace\": \"a\", \"name\": \"b\"}]}",
                        "scaledObjects[0].target: missing"),
                Arguments.of("no name", "{\"scaledObjects\": [" + object(TRIGGER, "").replace("\"name\": \"orders\",", "") + "]}",
                        "scaledObjects[0].name: missing"),
                Arguments.of("replicas as text", "{\"scaledObjects\": [" + object(TRIGGER, "").replace("\"current\": 2", "\"current\": \"2\"") + "]}",
                        "scaledObjects[0].replicas.current: expected a whole number, got \"2\""),
                Arguments.of("leader as text", "{\"scaledObjects\": [" + object(TRIGGER, "").replace("\"leader\": true", "\"leader\": \"yes\"") + "]}",
                        "scaledObjects[0].leader: expected true or false"),
                Arguments.of("shards as a number", "{\"scaledObjects\": [" + object(TRIGGER.replace("{\"open\": 3, \"closed\": 2, \"total\": 5}", "5"), "") + "]}",
                        "scaledObjects[0].triggers[0].shards: not an object"),
                Arguments.of("a bad time", "{\"scaledObjects\": [" + object(TRIGGER, "").replace("2026-12-01T08:00:00Z", "yesterday") + "]}",
                        "scaledObjects[0].lastPoll: expected an RFC 3339 UTC time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapeErrors")
    void aDocumentOfAnotherShapeNamesWhatIsWrong(String name, String json, String inMessage) throws Exception {
        var error = assertThrows(AgentStatus.ShapeException.class, () -> AgentStatus.parse(JSON.readTree(json)));
        assertTrue(error.getMessage().contains(inMessage), error.getMessage());
    }
}
