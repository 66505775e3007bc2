package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.ScaledObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.ddbstreamscaler.camel.FaultHarness.ID;
import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.SCALE_PATH;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The routes are the user's to edit: the agent runs on edited route files and, whatever the edit, the policy's history
 * and the store hold what happened and no line reports a scale that did not happen. A write is first refused (403),
 * then allowed: the history gets no scale event for the refused writes and exactly one for the write that happened.
 */
class RouteEditsIT {

    static final String MULTICAST = """
                    - multicast:
                        stopOnException: false
                        steps:
                          - to: direct:observe-log
                          - to: direct:observe-metrics
                          - to: direct:observe-events
            """;

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
        h.aws.state().createTable(TABLE, 8); // 8 shards at 2 per replica: 4 replicas
        h.createConsumer(1);
        h.writeTriggers("so.yaml", h.scaledObject(2, KEY_ID, WriteTruthIT.BEHAVIOR));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                arguments("the multicast runs its sinks in parallel", (UnaryOperator<String>) loop -> loop.replace(
                        "stopOnException: false", "stopOnException: false\n            parallelProcessing: true")),
                arguments("the sinks in another order", (UnaryOperator<String>) loop -> loop.replace(MULTICAST, """
                                    - multicast:
                                        stopOnException: false
                                        steps:
                                          - to: direct:observe-events
                                          - to: direct:observe-metrics
                                          - to: direct:observe-log
                            """)),
                arguments("the metrics sink removed", (UnaryOperator<String>) loop -> loop.replace(
                        "              - to: direct:observe-metrics\n", "")),
                arguments("log steps added before the write and after the sinks", (UnaryOperator<String>) loop -> loop
                        .replace("""
                                        - bean:
                                            ref: scale
                                            method: write
                                """, """
                                        - log: "before the write: ${body.logLine}"
                                        - bean:
                                            ref: scale
                                            method: write
                                """)
                        .replace(MULTICAST, MULTICAST + "        - log: \"after the sinks: ${body}\"\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void historyAndStoreHoldWhatHappenedAndNoLineReportsAScaleThatDidNot(String name, UnaryOperator<String> edit)
            throws Exception {
        String loop = FaultHarness.originalRoute("scale-loop.camel.yaml");
        String edited = edit.apply(loop);
        assertTrue(!edited.equals(loop), "the edit applies to the shipped route");
        h.writeRoute("scale-loop.camel.yaml", edited);
        h.kube.dispatcher().inject("PUT", SCALE_PATH, 403, -1);

        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> FaultHarness.polls(agent) >= 2);
        ScaledObjectStore.Entry entry = agent.store().require(ID);
        List<String> decisions = decisionLines();
        assertAll(
                () -> assertTrue(entry.history().scaleUpEvents().isEmpty(), "no scale event for refused writes"),
                () -> assertTrue(entry.lastPollFailed()),
                () -> assertTrue(entry.lastError().startsWith("write failed: forbidden (403)"), entry.lastError()),
                () -> assertEquals(List.of(), scaledLines(), "no 'scaled' line while every write is refused"),
                () -> assertTrue(!decisions.isEmpty() && decisions.stream().allMatch(l -> l.contains("write failed")),
                        "every decision line says the write failed: " + decisions));

        h.kube.dispatcher().clearFaults();
        await().atMost(Duration.ofSeconds(15)).until(() -> Integer.valueOf(4).equals(h.replicas()));
        await().atMost(Duration.ofSeconds(15)).until(() -> entry.history().scaleUpEvents().size() == 1
                && !entry.lastPollFailed());
        long pollsThen = entry.polls();
        await().atMost(Duration.ofSeconds(15)).until(() -> entry.polls() >= pollsThen + 2);
        assertAll(
                () -> assertEquals(3, entry.history().scaleUpEvents().get(0).replicaChange(), "the one write: 1 -> 4"),
                () -> assertEquals(1, entry.history().scaleUpEvents().size(), "one scale event, however many polls"),
                () -> assertEquals(1, scaledLines().size(), "one 'scaled' line: " + scaledLines()),
                () -> assertEquals(List.of(4), h.scaleWrites().stream().distinct().toList(), "every write carried 4"));
    }

    private List<String> decisionLines() {
        return h.log.lines().stream().filter(l -> l.logger().endsWith("decision"))
                .map(FaultHarness.CapturedLog.Line::message).toList();
    }

    private List<String> scaledLines() {
        return h.log.lines().stream().map(FaultHarness.CapturedLog.Line::message)
                .filter(m -> m.startsWith("scaled Deployment")).toList();
    }
}
