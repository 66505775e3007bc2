package io.ddbstreamscaler.camel;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.SECRET;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static io.ddbstreamscaler.camel.FaultHarness.counter;
import static io.ddbstreamscaler.camel.FaultHarness.lastPollOk;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A configuration file goes bad under a running agent. For every fault: the edit is refused, logged and counted
 * (ddbstream_scaler_config_errors_total), the last good configuration keeps polling and writing the counts the
 * shards justify, and once the file is fixed a good edit takes effect again.
 */
class FaultConfigIT {

    static final Duration BOUND = Duration.ofSeconds(10);
    static final String ROUTE_FILE = "sinks.camel.yaml";

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** The Secret in a file of its own (secret.yaml), the TriggerAuthentication and ScaledObject in so.yaml. */
    static void writeGood(FaultHarness h, int shardCount) {
        String all = h.scaledObject(shardCount, KEY_ID, "");
        int afterSecret = all.indexOf("---\n") + 4;
        h.writeTriggers("secret.yaml", all.substring(0, afterSecret - 4));
        h.writeTriggers("so.yaml", all.substring(afterSecret));
    }

    static Stream<Arguments> configFaults() {
        return Stream.of(
                // name, fault, clearing action, config error kind, what the ERROR line names
                Arguments.of("trigger file edited into invalid YAML",
                        (FaultAwsIT.Step) (h, a) -> h.writeTriggers("so.yaml", "kind: ScaledObject\nspec: [unclosed\n"),
                        (FaultAwsIT.Step) (h, a) -> writeGood(h, 2), "triggers", "so.yaml"),
                Arguments.of("the Secret the TriggerAuthentication names removed",
                        (FaultAwsIT.Step) (h, a) -> h.deleteTriggers("secret.yaml"),
                        (FaultAwsIT.Step) (h, a) -> writeGood(h, 2), "triggers", "orders-keys"),
                Arguments.of("route file with a YAML syntax error",
                        (FaultAwsIT.Step) (h, a) -> h.writeRoute(ROUTE_FILE, "- route: {id: scale, from: [unclosed\n"),
                        (FaultAwsIT.Step) (h, a) -> h.writeRoute(ROUTE_FILE, FaultHarness.originalRoute(ROUTE_FILE)),
                        "routes", "the last good routes keep running"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configFaults")
    void theLastGoodConfigurationKeepsScaling(String name, FaultAwsIT.Step fault, FaultAwsIT.Step clear, String kind,
                                              String logFragment) throws Exception {
        h.aws.state().createTable(TABLE, 2);
        h.createConsumer(1);
        writeGood(h, 2);
        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(BOUND).until(() -> lastPollOk(agent));

        fault.apply(h, agent);
        agent.checkForChanges();
        assertAll(
                () -> assertEquals(1, counter(agent, "ddbstream.scaler.config.errors", "kind", kind)),
                () -> assertFalse(h.log.at(Level.ERROR, logFragment).isEmpty(), "an ERROR line names it: " + h.log.lines()),
                () -> assertNotNull(agent.camelContext().getRoute("scale-loop"), "the scale loop still runs"),
                () -> assertEquals(1, agent.schedule().size(), "the ScaledObject is still scheduled"));

        // The last good configuration (shardCount 2) still scales: 6 shards, 3 replicas.
        h.aws.state().split(TABLE, 2);
        await().atMost(BOUND).until(() -> Integer.valueOf(3).equals(h.replicas()));
        assertEquals(List.of(3), h.scaleWrites());

        clear.apply(h, agent);
        agent.checkForChanges();
        // A good edit takes effect again: shardCount 1 asks for 6 replicas.
        writeGood(h, 1);
        agent.checkForChanges();
        await().atMost(BOUND).until(() -> Integer.valueOf(6).equals(h.replicas()));
        await().atMost(BOUND).until(() -> lastPollOk(agent));
        assertAll(
                () -> assertEquals(List.of(3, 6), h.scaleWrites()),
                () -> assertEquals(1, counter(agent, "ddbstream.scaler.config.errors", "kind", kind), "no new error"),
                () -> h.log.assertNoLeakOf(SECRET));
    }
}
