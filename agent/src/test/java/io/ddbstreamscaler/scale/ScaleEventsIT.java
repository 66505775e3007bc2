package io.ddbstreamscaler.scale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddbstreamscaler.ship.RequiredTool;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.ddbstreamscaler.simulator.ManualClock;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events on the scale target at their wire: the fabric8 client against the simulator's API server, a hand-moved
 * clock for the 30-second and 10-minute rules, and kubectl reading the result as a user would.
 */
class ScaleEventsIT {

    static final String NS = "keda-test";
    static final ScaleTargetRef CONSUMER = new ScaleTargetRef("apps/v1", "Deployment", "consumer");
    static final String RESCALED = "New size: 4; reason: 7 shards at target 2, table keda-events";
    static final String EVENTS = "/api/v1/namespaces/keda-test/events";

    KubeApiSimulator kube;
    KubernetesClient client;
    ManualClock clock;
    ScaleEvents events;
    Path kubeconfig;

    @BeforeEach
    void start(@TempDir Path dir) {
        kube = KubeApiSimulator.start();
        kube.createDeployment(NS, "consumer", 2, Map.of("app", "consumer"));
        kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), NS);
        client = KubeClients.create(kubeconfig);
        clock = new ManualClock();
        events = new ScaleEvents(client, "agent-0", clock);
        kube.dispatcher().clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        kube.close();
    }

    List<Event> stored() {
        return kube.client().v1().events().inNamespace(NS).list().getItems().stream()
                .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getName()))
                .toList();
    }

    void rescaled() {
        events.record(NS, CONSUMER, ScaleEvents.Type.NORMAL, "SuccessfulRescale", RESCALED);
    }

    @Test
    void theFirstOccurrenceCreatesAnEventOnTheTargetAsTheHpaDoes() {
        rescaled();

        List<Event> all = stored();
        assertEquals(1, all.size());
        Event e = all.get(0);
        String uid = kube.client().apps().deployments().inNamespace(NS).withName("consumer").get().getMetadata().getUid();
        assertAll(
                () -> assertTrue(e.getMetadata().getName().matches("consumer\\.[0-9a-f]{16}"), e.getMetadata().getName()),
                () -> assertEquals("apps/v1", e.getInvolvedObject().getApiVersion()),
                () -> assertEquals("Deployment", e.getInvolvedObject().getKind()),
                () -> assertEquals("consumer", e.getInvolvedObject().getName()),
                () -> assertEquals(NS, e.getInvolvedObject().getNamespace()),
                () -> assertEquals(uid, e.getInvolvedObject().getUid(), "kubectl describe selects on the uid"),
                () -> assertEquals("Normal", e.getType()),
                () -> assertEquals("SuccessfulRescale", e.getReason()),
                () -> assertEquals(RESCALED, e.getMessage()),
                () -> assertEquals(1, e.getCount()),
                () -> assertEquals("2026-01-01T00:00:00Z", e.getFirstTimestamp()),
                () -> assertEquals("2026-01-01T00:00:00Z", e.getLastTimestamp()),
                () -> assertEquals("ddbstream-scaler", e.getSource().getComponent()),
                () -> assertEquals("ddbstream-scaler", e.getReportingComponent()),
                () -> assertEquals("agent-0", e.getReportingInstance()));
    }

    @Test
    void aHundredRepeatsAreOneObjectPatchedAtMostEveryThirtySeconds() {
        // 99 occurrences a second apart, then the 100th after a 30 s step: writes at 0 s (create), 30, 60, 90, 128.
        for (int i = 1; i <= 99; i++) {
            events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FailedRescale", "write failed, attempt " + i);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(29));
        events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FailedRescale", "write failed, attempt 100");

        List<Event> all = stored();
        assertEquals(1, all.size(), "one object for the whole series");
        Event e = all.get(0);
        assertAll(
                () -> assertEquals(100, e.getCount()),
                () -> assertEquals("write failed, attempt 100", e.getMessage(), "the latest message"),
                () -> assertEquals("Warning", e.getType()),
                () -> assertEquals("2026-01-01T00:00:00Z", e.getFirstTimestamp()),
                () -> assertEquals("2026-01-01T00:02:08Z", e.getLastTimestamp()),
                () -> assertEquals(1, kube.dispatcher().requests("POST", EVENTS).size()),
                () -> assertEquals(4, kube.dispatcher().requests("PATCH", EVENTS + "/.*").size()),
                () -> assertEquals(0, kube.dispatcher().requests("GET", EVENTS + "/.*").size(),
                        "create and patch only: the RBAC rule needs no get"));
    }

    @Test
    void tenMinutesAfterItsCreationANewObjectStarts() {
        rescaled();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        rescaled();
        assertEquals(1, stored().size(), "still inside the window");
        assertEquals(2, stored().get(0).getCount());

        clock.advance(Duration.ofSeconds(1));
        rescaled();

        List<Event> all = stored();
        assertEquals(2, all.size());
        assertEquals(2, all.get(0).getCount(), "the first object keeps its count");
        assertEquals(1, all.get(1).getCount(), "the new object starts its own");
        assertNotEquals(all.get(0).getMetadata().getName(), all.get(1).getMetadata().getName());
        assertEquals(2, kube.dispatcher().requests("GET", ".*/deployments/consumer/scale").size(),
                "the uid is read again for a new object (a Deployment created again has a new uid)");
    }

    @Test
    void occurrencesCountedInMemoryAreSentToTheOldObjectWhenTheWindowEnds() {
        rescaled();
        clock.advance(Duration.ofMinutes(9).plusSeconds(50));
        rescaled();                                 // patched: count 2
        clock.advance(Duration.ofSeconds(5));
        rescaled();                                 // within 30 s: counted here, 3
        clock.advance(Duration.ofSeconds(5));
        rescaled();                                 // window over: old object gets 3, a new one starts at 1

        List<Event> all = stored();
        assertEquals(List.of(3, 1), all.stream().map(Event::getCount).toList());
    }

    @Test
    void anEventDeletedUnderUsIsCreatedAgain() {
        rescaled();
        String first = stored().get(0).getMetadata().getName();
        kube.client().v1().events().inNamespace(NS).withName(first).delete();
        clock.advance(Duration.ofSeconds(30));

        rescaled();

        List<Event> all = stored();
        assertEquals(1, all.size());
        assertNotEquals(first, all.get(0).getMetadata().getName());
        assertEquals(2, all.get(0).getCount(), "the series' count carries over, as client-go's recorder does");
    }

    @Test
    void forbiddenNeverThrowsAndWarnsOnceWithTheRuleItNeeds() {
        kube.dispatcher().inject("POST", EVENTS, 403, -1);
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ScaleEvents.class);
        var lines = new ListAppender<ILoggingEvent>();
        lines.start();
        logger.addAppender(lines);
        try {
            for (int i = 0; i < 5; i++) {
                events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FailedGetScale", "read failed");
                clock.advance(Duration.ofSeconds(30));
            }
        } finally {
            logger.detachAppender(lines);
        }

        List<ILoggingEvent> warnings = lines.list.stream().filter(l -> l.getLevel() == Level.WARN).toList();
        assertEquals(1, warnings.size(), () -> lines.list.toString());
        String line = warnings.get(0).getFormattedMessage();
        assertTrue(line.contains("cannot create Events in namespace keda-test (403 forbidden)")
                && line.contains("{apiGroups: [\"\"], resources: [\"events\"], verbs: [\"create\", \"patch\"]}")
                && line.contains("scaling is not affected"), line);
        assertEquals(5, kube.dispatcher().requests("POST", EVENTS).size(), "one attempt per 30 s, never more");
        assertEquals(0, stored().size());

        kube.dispatcher().clearFaults();
        events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FailedGetScale", "read failed");
        assertEquals(6, stored().get(0).getCount(), "once allowed, the Event carries every occurrence");

        // Forbidden again after a success is a new cause: warned again, once.
        kube.dispatcher().inject("POST", EVENTS, 403, -1);
        logger.addAppender(lines);
        try {
            events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FallbackActive", "fallback to 3 replicas");
            clock.advance(Duration.ofSeconds(30));
            events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FallbackActive", "fallback to 3 replicas");
        } finally {
            logger.detachAppender(lines);
        }
        assertEquals(2, lines.list.stream().filter(l -> l.getLevel() == Level.WARN).count(), () -> lines.list.toString());
    }

    @Test
    void anApiServerThatIsDownNeverThrows() {
        kube.goDown();
        rescaled();
        kube.comeBack();
        clock.advance(Duration.ofSeconds(30));
        rescaled();
        assertEquals(2, stored().get(0).getCount());
    }

    @Test
    void aMessageLongerThanTheApiServerAllowsIsCut() {
        events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "KEDAScalerFailed", "x".repeat(2000));

        String message = stored().get(0).getMessage();
        assertEquals(1024, message.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(message.startsWith("xxx") && message.endsWith("..."), message);
    }

    @Test
    void eachTypeAndReasonIsItsOwnSeriesAndTheUidIsReadOnce() {
        rescaled();
        events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FailedRescale", "forbidden (403)");
        events.record(NS, CONSUMER, ScaleEvents.Type.WARNING, "FallbackActive", "fallback to 3 replicas");

        assertEquals(List.of("FailedRescale", "FallbackActive", "SuccessfulRescale"),
                stored().stream().map(Event::getReason).sorted().toList());
        assertEquals(1, kube.dispatcher().requests("GET", ".*/deployments/consumer/scale").size());
    }

    @Test
    void kubectlGetEventsAndDescribeShowTheEvent() throws Exception {
        RequiredTool.require("kubectl", RequiredTool.KUBECTL);
        clock.advance(Duration.between(clock.instant(), java.time.Instant.now()).minusSeconds(90));
        for (int i = 0; i < 3; i++) {
            rescaled();
            clock.advance(Duration.ofSeconds(30));
        }

        String list = kubectl("get", "events", "-n", NS);
        String described = kubectl("describe", "deployment", "consumer", "-n", NS);

        System.out.println("kubectl get events -n keda-test\n" + list);
        System.out.println("kubectl describe deployment consumer -n keda-test (tail)\n"
                + described.substring(described.indexOf("Events:")));
        assertAll(
                () -> assertTrue(list.contains("SuccessfulRescale") && list.contains(RESCALED)
                        && list.contains("deployment/consumer"), list),
                () -> assertTrue(described.contains("SuccessfulRescale") && described.contains(RESCALED)
                        && described.contains("ddbstream-scaler") && described.contains("(x3 over"), described));
    }

    private String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--request-timeout=5s"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "kubectl finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "kubectl " + List.of(args) + ": " + out);
        return out;
    }
}
