package io.ddbstreamscaler.camel;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.ddbstreamscaler.schedule.ScaledObjectStore;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route reload with polls always in flight (AWS answers each call in 1.5 s, four ScaledObjects poll every second, and
 * each edit is made while at least three polls run): five edits in a row, each picked up by the agent's own watcher (a
 * 50 ms period here) and running within 3 s of the edit; no poll fails or is cut short, and nothing is logged at ERROR
 * or with a stack trace.
 */
class RouteReloadIT {

    static final Duration LATENCY = Duration.ofMillis(1500);
    static final Duration WATCH = Duration.ofMillis(50);
    static final Pattern RELOADED = Pattern.compile("routes reloaded from .*\\(after (\\d+) poll\\(s\\) in flight ended\\)");
    static final List<String> SCALED_OBJECTS = List.of("orders", "payments", "refunds", "returns");

    AgentHarness h;
    final List<ILoggingEvent> lines = new CopyOnWriteArrayList<>();
    final AppenderBase<ILoggingEvent> log = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            lines.add(event);
        }
    };
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        StringBuilder triggers = new StringBuilder();
        for (String name : SCALED_OBJECTS) {
            h.aws.state().createTable(name, 2);
            h.kube.createDeployment(AgentHarness.NS, name, 1, Map.of("app", name));
            triggers.append(h.scaledObject(name, name, "Deployment", name, 2, "")).append("---\n");
        }
        h.writeTriggers("so.yaml", triggers.toString());
        log.setContext(root.getLoggerContext());
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() {
        root.detachAppender(log);
        h.close();
    }

    @Test
    void fiveReloadsWithPollsInFlightEachWithinThreeSecondsAndNoneFails() throws Exception {
        // Each AWS call may take its 1.5 s: a 3 s call timeout.
        ProbeOptions probe = AgentHarness.probeOptions().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(3));
        AgentOptions watched = new AgentOptions(List.of(h.triggers), h.routes, false, false, false, null, null, -1,
                WATCH, Duration.ofSeconds(15));
        ScalerAgent agent = h.start(watched, new AwsShardCounter(probe));
        await().atMost(Duration.ofSeconds(15)).until(() -> everyPolled(agent, 1));
        h.aws.faults().latency(LATENCY);
        await().atMost(Duration.ofSeconds(15)).until(() -> everyPolled(agent, 3));

        String sinks = Files.readString(h.routes.resolve("sinks.camel.yaml"));
        for (int swap = 1; swap <= 5; swap++) {
            int reloadsBefore = reloads().size();
            // Each version of the metrics sink counts on a counter of its own: the new routes are the ones that run.
            String version = sinks.replace(AgentReloadIT.MARKER_STEP, AgentReloadIT.MARKER_STEP
                    + "        - to:\n            uri: micrometer:counter:reload.generation." + swap + "\n");
            await("polls in flight before edit " + swap).atMost(Duration.ofSeconds(10))
                    .until(() -> agent.schedule().running() >= 3);
            long edited = System.nanoTime();
            Files.writeString(h.routes.resolve("sinks.camel.yaml"), version, StandardCharsets.UTF_8);
            await("reload " + swap).atMost(Duration.ofSeconds(3)).until(() -> reloads().size() > reloadsBefore);
            // For the record, not asserted beyond the bound above.
            System.out.printf("RouteReloadIT: reload %d ran %d ms after the edit%n", swap,
                    (System.nanoTime() - edited) / 1_000_000);
            String generation = "reload.generation." + swap;
            await("polls through the routes of reload " + swap).atMost(Duration.ofSeconds(10))
                    .until(() -> AgentHarness.counter(agent, generation) >= 1);
        }

        List<Integer> inFlight = reloads();
        List<ILoggingEvent> bad = lines.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null).toList();
        assertAll(
                () -> assertEquals(5, inFlight.size(), "five reloads"),
                () -> assertTrue(inFlight.stream().allMatch(n -> n >= 1), "each had polls in flight: " + inFlight),
                () -> assertEquals(List.of(), bad.stream().map(ILoggingEvent::getFormattedMessage).toList(),
                        "nothing at ERROR, no stack trace"),
                () -> assertEquals(0.0, AgentHarness.counter(agent, "keda.scaled.object.errors"), "no poll failed"),
                () -> assertTrue(agent.store().all().stream().noneMatch(ScaledObjectStore.Entry::lastPollFailed)));
    }

    /** The polls in flight that each reload waited for, from its INFO line. */
    private List<Integer> reloads() {
        return lines.stream().map(ILoggingEvent::getFormattedMessage).map(RELOADED::matcher)
                .filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).toList();
    }

    private static boolean everyPolled(ScalerAgent agent, long polls) {
        return agent.store().size() == SCALED_OBJECTS.size()
                && agent.store().all().stream().allMatch(e -> e.polls() >= polls && !e.lastPollFailed());
    }
}
