package io.ddbstreamscaler.bench.keda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Requests by user in a window, from audit events as the local API server writes them (one JSON line each). */
class AuditCountsTest {

    static String event(String stage, String user, String at) {
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"stage\":\"" + stage
                + "\",\"verb\":\"get\",\"user\":{\"username\":\"" + user + "\"},\"requestReceivedTimestamp\":\"" + at
                + "\"}";
    }

    @Test
    void countsCompletedRequestsByUserInsideTheWindowOnly(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.log");
        Files.write(log, java.util.List.of(
                event("ResponseComplete", AuditCounts.AGENT, "2026-01-01T00:00:09.999999Z"),
                event("ResponseComplete", AuditCounts.AGENT, "2026-01-01T00:00:10.000000Z"),
                event("ResponseStarted", AuditCounts.KEDA_OPERATOR, "2026-01-01T00:00:11.000000Z"),
                event("ResponseComplete", AuditCounts.KEDA_OPERATOR, "2026-01-01T00:00:11.000000Z"),
                event("ResponseComplete", AuditCounts.KEDA_ADAPTER, "2026-01-01T00:00:12.000000Z"),
                event("ResponseComplete", AuditCounts.HPA_CONTROLLER, "2026-01-01T00:00:19.500000Z"),
                event("ResponseComplete", AuditCounts.HPA_CONTROLLER, "2026-01-01T00:00:20.000000Z")));

        AuditCounts counts = AuditCounts.read(log, Instant.parse("2026-01-01T00:00:10Z"),
                Instant.parse("2026-01-01T00:00:20Z"));

        assertAll(
                () -> assertEquals(1, counts.agent(), "the one at the window's start counts, the one before not"),
                () -> assertEquals(1, counts.of(AuditCounts.KEDA_OPERATOR), "a watch's ResponseStarted is not a request"),
                () -> assertEquals(3, counts.keda(), "operator, adapter and the HPA controller; the window's end excluded"));
    }
}
