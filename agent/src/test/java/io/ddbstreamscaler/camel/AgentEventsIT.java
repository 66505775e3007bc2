package io.ddbstreamscaler.camel;

import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.NS;
import static io.ddbstreamscaler.camel.FaultHarness.SCALE_PATH;
import static io.ddbstreamscaler.camel.FaultHarness.SECRET;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The running agent records Events on its scale target as the HPA does (docs/events-and-status.md), none in a dry run. */
class AgentEventsIT {

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
        h.aws.state().createTable(TABLE, 8);
        h.createConsumer(1);
        h.writeTriggers("so.yaml", h.scaledObject(2, KEY_ID, ""));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private List<Event> events(String reason) {
        return h.kube.client().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    @Test
    void aScaleIsASuccessfulRescaleAndARefusedWriteAFailedRescale() throws Exception {
        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> !events("SuccessfulRescale").isEmpty());
        Event rescale = events("SuccessfulRescale").get(0);
        assertAll(
                () -> assertEquals("Normal", rescale.getType()),
                () -> assertEquals("New size: 4; reason: 8 shards at target 2, table orders", rescale.getMessage()),
                () -> assertEquals("Deployment", rescale.getInvolvedObject().getKind()),
                () -> assertEquals(FaultHarness.TARGET, rescale.getInvolvedObject().getName()));

        h.kube.dispatcher().inject("PUT", SCALE_PATH, 403, -1);
        h.aws.state().split(TABLE, 4); // 16 shards listed: 8 replicas, refused
        await().atMost(Duration.ofSeconds(15)).until(() -> !events("FailedRescale").isEmpty());
        // Polls every second keep failing: still one Event object for the reason, its count goes up.
        await().atMost(Duration.ofSeconds(20)).until(() -> FaultHarness.counter(agent, "ddbstream.scaler.scale.writes",
                "outcome", "failure") >= 5);
        List<Event> failed = events("FailedRescale");
        assertAll(
                () -> assertEquals(1, failed.size(), "repeats aggregate on one object: " + failed),
                () -> assertEquals("Warning", failed.get(0).getType()),
                () -> assertTrue(failed.get(0).getMessage().startsWith("New size: 8; reason: 16 shards at target 2, table orders; "
                        + "error: forbidden (403), replicas left at 4"), failed.get(0).getMessage()),
                () -> assertTrue(h.kube.client().v1().events().inNamespace(NS).list().getItems().stream()
                        .noneMatch(e -> e.getMessage().contains(SECRET) || e.getMessage().contains(KEY_ID)), "no credential"));
    }

    @Test
    void eachRescaleToANewSizeIsAnEventOfItsOwn() throws Exception {
        h.start(h.options(false, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> events("SuccessfulRescale").size() == 1);
        h.aws.state().split(TABLE, 4); // 16 shards listed: 8 replicas
        await().atMost(Duration.ofSeconds(15)).until(() -> events("SuccessfulRescale").size() == 2);
        assertEquals(java.util.Set.of("New size: 4; reason: 8 shards at target 2, table orders",
                        "New size: 8; reason: 16 shards at target 2, table orders"),
                events("SuccessfulRescale").stream().map(Event::getMessage).collect(java.util.stream.Collectors.toSet()),
                "as the HPA records them: one Event per rescale, not the first size with a count");
    }

    @Test
    void aRefusedReadOfScaleIsAFailedGetScale() throws Exception {
        h.kube.dispatcher().inject("GET", SCALE_PATH, 403, -1);
        h.start(h.options(false, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> !events("FailedGetScale").isEmpty());
        Event e = events("FailedGetScale").get(0);
        assertEquals("Warning", e.getType());
        assertTrue(e.getMessage().contains("get deployments/scale keda-test/consumer was forbidden (403)"), e.getMessage());
    }

    @Test
    void aDryRunRecordsNoEvent() throws Exception {
        var options = h.options(false, null);
        ScalerAgent agent = h.start(new AgentOptions(options.configPaths(), options.routesFolder(), false, true, false,
                null, null, -1, options.watchPeriod(), options.leaseDuration()));
        await().atMost(Duration.ofSeconds(15)).until(() -> FaultHarness.polls(agent) >= 3);
        assertEquals(List.of(), h.kube.client().v1().events().inNamespace(NS).list().getItems());
    }
}
