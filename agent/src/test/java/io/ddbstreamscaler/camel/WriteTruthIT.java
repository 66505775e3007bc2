package io.ddbstreamscaler.camel;

import ch.qos.logback.classic.Level;
import io.ddbstreamscaler.cli.ScalerCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.NS;
import static io.ddbstreamscaler.camel.FaultHarness.SCALE_PATH;
import static io.ddbstreamscaler.camel.FaultHarness.SECRET;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static io.ddbstreamscaler.camel.FaultHarness.TARGET;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed write is never reported as a scale: the decision line says what happened, the current-replicas
 * gauge keeps the real count, the policy's history records no scale event, and {@code run --once} exits 1.
 */
class WriteTruthIT {

    static final String BEHAVIOR = """
              advanced:
                horizontalPodAutoscalerConfig:
                  behavior:
                    scaleUp:
                      policies:
                      - {type: Pods, value: 10, periodSeconds: 60}
            """;

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
        h.aws.state().createTable(TABLE, 8); // 8 shards at 2 per replica: 4 replicas
        h.createConsumer(1);
        h.writeTriggers("so.yaml", h.scaledObject(2, KEY_ID, BEHAVIOR));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                // name, fault, the decision line's note (null: the poll fails before deciding), the ERROR line
                Arguments.of("403 on the write", (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("PUT", SCALE_PATH, 403, -1),
                        "(write failed: forbidden (403), replicas left at 1)", "was forbidden (403)"),
                Arguments.of("409 on every write, past the retries", (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("PUT", SCALE_PATH, 409, -1),
                        "(write failed: conflict (409) after retries, replicas left at 1)", "conflict (409) persisted after retries"),
                Arguments.of("404 on the write (target deleted between read and write)",
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("PUT", SCALE_PATH, 404, -1),
                        "(write failed: not found (404), replicas left at 1)", "not found (404)"),
                Arguments.of("503 on the write", (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("PUT", SCALE_PATH, 503, -1),
                        "(write failed: API server unavailable (503), replicas left at 1)", "unavailable (503)"),
                Arguments.of("404 on the read (no such target)", (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("GET", SCALE_PATH, 404, -1),
                        null, "not found (404)"),
                Arguments.of("API server down", (FaultAwsIT.Step) (h, a) -> h.kube.goDown(), null, "unavailable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void runOnceExitsOneAndTheLineSaysWhatHappened(String name, FaultAwsIT.Step fault, String note, String error) throws Exception {
        fault.apply(h, null);
        int code = runOnce();
        List<String> decisions = h.log.lines().stream().filter(l -> l.logger().endsWith("decision"))
                .map(FaultHarness.CapturedLog.Line::message).toList();
        assertAll(
                () -> assertEquals(1, code, "run --once exits 1 when a read or write failed"),
                () -> assertFalse(h.log.at(Level.ERROR, error).isEmpty(), "an ERROR line names the failure: " + h.log.lines()),
                () -> assertTrue(note == null ? decisions.isEmpty()
                        : decisions.size() == 1 && decisions.get(0).contains("replicas 1 -> 4 reason=ScaleUp " + note),
                        "decision lines: " + decisions),
                () -> assertTrue(h.log.lines().stream().noneMatch(l -> l.message().contains("scaled Deployment")),
                        "no 'scaled' line for a write that failed"),
                () -> h.log.assertNoLeakOf(SECRET));
    }

    @Test
    void runOnceExitsZeroWhenItScaled() throws Exception {
        assertEquals(0, runOnce());
        assertEquals(Integer.valueOf(4), h.replicas());
    }

    @Test
    void aFailedWriteRecordsNoScaleEventAndKeepsTheRealCount() throws Exception {
        h.kube.dispatcher().inject("PUT", SCALE_PATH, 403, -1);
        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> FaultHarness.counter(agent, "ddbstream.scaler.scale.writes",
                "outcome", "failure") >= 2);
        var entry = agent.store().require(FaultHarness.ID);
        assertAll(
                () -> assertTrue(entry.history().scaleUpEvents().isEmpty(), "no scale event for writes that failed: "
                        + entry.history().scaleUpEvents()),
                () -> assertEquals(1.0, agent.registry().find("ddbstream.scaler.replicas").tag("kind", "current").gauge().value()),
                () -> assertTrue(entry.lastPollFailed()),
                () -> assertTrue(entry.lastError().startsWith("write failed: forbidden (403)"), entry.lastError()));

        h.kube.dispatcher().clearFaults();
        await().atMost(Duration.ofSeconds(15)).until(() -> Integer.valueOf(4).equals(h.replicas()));
        await().atMost(Duration.ofSeconds(15)).until(() -> entry.history().scaleUpEvents().size() == 1);
        assertEquals(3, entry.history().scaleUpEvents().get(0).replicaChange(), "the one write that happened: 1 -> 4");
    }

    private int runOnce() {
        return new CommandLine(new ScalerCli()).execute("run", "--once", "-f", h.triggers.toString(), "--routes",
                h.routes.toString(), "--kubeconfig", h.kubeconfig.toString(), "--management-port", "-1",
                "--leader-election", "false");
    }
}
