package io.ddbstreamscaler.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ApiAuditTest {

    static final String AGENT = "system:serviceaccount:bench:ddbstream-scaler";
    /** The end of the run the rows read. */
    static final Instant END = Instant.parse("2026-12-04T11:00:00Z");

    /** One audit line as the API server writes it (docs/local-cluster.md), trimmed to the fields read. */
    static String line(String stage, String user, String verb, String resource, String sub, String name, String at) {
        String ref = resource == null ? "" : ",\"objectRef\":{\"resource\":\"" + resource + "\",\"namespace\":\"bench\""
                + (name == null ? "" : ",\"name\":\"" + name + "\"") + (sub == null ? "" : ",\"subresource\":\"" + sub + "\"")
                + ",\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"}";
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"stage\":\"" + stage
                + "\",\"requestURI\":\"/apis/apps/v1/namespaces/bench/x\",\"verb\":\"" + verb + "\",\"user\":{\"username\":\""
                + user + "\"}" + ref + ",\"responseStatus\":{\"code\":200},\"requestReceivedTimestamp\":\"" + at + "\"}";
    }

    static String get(String deployment, String at) {
        return line("ResponseComplete", AGENT, "get", "deployments", "scale", deployment, at);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, lines, byVerb, most reads of one target, most writes of one, shortest gap between two reads (ms, -1: none)
                Arguments.of("one target read every 30 s",
                        List.of(get("c-1", "2026-12-04T10:00:00Z"), get("c-1", "2026-12-04T10:00:30Z"),
                                get("c-1", "2026-12-04T10:01:00Z")),
                        Map.of("get deployments/scale", 3L), 3, 0, 30_000L),
                Arguments.of("a late poll then an on-time one is still one per interval",
                        List.of(get("c-1", "2026-12-04T10:00:00Z"), get("c-1", "2026-12-04T10:00:30.900Z"),
                                get("c-1", "2026-12-04T10:01:00Z"), get("c-1", "2026-12-04T10:01:30Z")),
                        Map.of("get deployments/scale", 4L), 4, 0, 29_100L),
                Arguments.of("two reads per poll: two per interval",
                        List.of(get("c-1", "2026-12-04T10:00:00Z"), get("c-1", "2026-12-04T10:00:00.010Z"),
                                get("c-1", "2026-12-04T10:00:30Z"), get("c-1", "2026-12-04T10:00:30.010Z"),
                                get("c-1", "2026-12-04T10:01:00Z")),
                        Map.of("get deployments/scale", 5L), 5, 0, 10L),
                Arguments.of("the busiest target counts; a target read once is left out",
                        List.of(get("c-1", "2026-12-04T10:00:00Z"), get("c-1", "2026-12-04T10:00:30Z"),
                                get("c-2", "2026-12-04T10:00:00Z"), get("c-2", "2026-12-04T10:00:15Z"),
                                get("c-3", "2026-12-04T10:00:01Z")),
                        Map.of("get deployments/scale", 5L), 2, 0, 15_000L),
                Arguments.of("update and patch of /scale are writes; a target written once counts 1",
                        List.of(get("c-1", "2026-12-04T10:00:00Z"),
                                line("ResponseComplete", AGENT, "update", "deployments", "scale", "c-1", "2026-12-04T10:00:00.020Z"),
                                line("ResponseComplete", AGENT, "patch", "deployments", "scale", "c-2", "2026-12-04T10:00:05Z")),
                        Map.of("get deployments/scale", 1L, "update deployments/scale", 1L, "patch deployments/scale", 1L), 1, 1, -1L),
                Arguments.of("other users, other stages and a cut last line are not counted",
                        List.of(get("c-1", "2026-12-04T10:00:00Z"),
                                line("ResponseComplete", "system:kube-controller-manager", "get", "deployments", "scale", "c-1",
                                        "2026-12-04T10:00:01Z"),
                                line("ResponseStarted", AGENT, "watch", "pods", null, null, "2026-12-04T10:00:02Z"),
                                line("ResponseComplete", AGENT + "-other", "get", "deployments", "scale", "c-1",
                                        "2026-12-04T10:00:03Z"),
                                "{\"kind\":\"Event\",\"stage\":\"ResponseComplete\",\"user\":{\"username\":\"" + AGENT),
                        Map.of("get deployments/scale", 1L), 1, 0, -1L),
                Arguments.of("lists and plain resources keyed by verb and resource",
                        List.of(line("ResponseComplete", AGENT, "list", "pods", null, null, "2026-12-04T10:00:00Z"),
                                line("ResponseComplete", AGENT, "create", "events", null, null, "2026-12-04T10:00:01Z"),
                                line("ResponseComplete", AGENT, "list", "pods", null, null, "2026-12-04T10:00:02Z")),
                        Map.of("list pods", 2L, "create events", 1L), 0, 0, -1L),
                Arguments.of("requests from the end of the run on are not the run's",
                        List.of(get("c-1", "2026-12-04T10:00:00Z"), get("c-1", "2026-12-04T10:59:59.999Z"),
                                get("c-1", "2026-12-04T11:00:00Z"), get("c-1", "2026-12-04T11:00:01Z")),
                        Map.of("get deployments/scale", 2L), 2, 0, 3_599_999L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void countsAndGaps(String name, List<String> lines, Map<String, Long> byVerb, int reads, int writes, long gapMillis) {
        ApiAudit audit = ApiAudit.parse(lines.stream(), AGENT, END);
        assertEquals(byVerb, audit.byVerb());
        assertEquals(reads, audit.maxReads());
        assertEquals(writes, audit.maxWrites());
        assertEquals(gapMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(gapMillis)), audit.shortestReadGap());
    }

    static Stream<Arguments> windows() {
        return Stream.of(
                // name, window s, interval s, reads allowed per target
                Arguments.of("a whole number of intervals", 90, 30, 3),
                Arguments.of("a part interval counts whole", 111, 30, 4),
                Arguments.of("shorter than one interval", 5, 30, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void allowedPerTarget(String name, int window, int interval, int allowed) {
        assertEquals(allowed, ApiAudit.allowedPerTarget(Duration.ofSeconds(window), Duration.ofSeconds(interval)));
    }

    @Test
    void readsTheRotatedFilesTooWithinTheRunsTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.write(dir.resolve("audit-2026-12-04T10-00-30.000.log"), List.of(
                get("c-1", "2026-12-04T09:59:59Z"), get("c-1", "2026-12-04T10:00:00Z"), get("c-2", "2026-12-04T10:00:10Z")));
        java.nio.file.Files.write(dir.resolve("audit.log"), List.of(get("c-1", "2026-12-04T10:00:30Z"),
                get("c-2", "2026-12-04T10:00:40Z"), get("c-1", "2026-12-04T10:01:00Z")));
        java.nio.file.Files.write(dir.resolve("other.log"), List.of(get("c-3", "2026-12-04T10:00:20Z")));
        ApiAudit audit = ApiAudit.read(dir.resolve("audit.log"), AGENT, Instant.parse("2026-12-04T10:00:00Z"),
                Instant.parse("2026-12-04T10:01:00Z"));
        assertEquals(Map.of("get deployments/scale", 4L), audit.byVerb());
        assertEquals(2, audit.maxReads());
        assertEquals(Optional.of(Duration.ofSeconds(30)), audit.shortestReadGap());
    }

    @Test
    void totalsListsFewestReadsAndRatesPerSecond() {
        ApiAudit audit = ApiAudit.parse(Stream.of(get("c-1", "2026-12-04T10:00:00Z"), get("c-1", "2026-12-04T10:00:30Z"),
                get("c-2", "2026-12-04T10:00:10Z"),
                line("ResponseComplete", AGENT, "list", "pods", null, null, "2026-12-04T10:00:20Z")), AGENT, END);
        assertEquals(4, audit.total());
        assertEquals(1, audit.ofVerb("list"));
        assertEquals(3, audit.ofVerb("get"));
        assertEquals(1, audit.fewestReads(List.of("c-1", "c-2")));
        assertEquals(0, audit.fewestReads(List.of("c-1", "c-3")));
        assertEquals("get deployments/scale 0.15/s, list pods 0.05/s", audit.perSecond(20));
        assertEquals(java.time.Instant.parse("2026-12-04T10:00:00Z"), audit.first());
        assertEquals(java.time.Instant.parse("2026-12-04T10:00:30Z"), audit.last());
    }
}
