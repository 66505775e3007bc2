package io.ddbstreamscaler.camel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Routes and trigger files change under a running agent: plain edits, ConfigMap symlink swaps, invalid edits. */
class AgentReloadIT {

    static final String ID = "keda-test/orders-consumer";
    /** An edit of the metrics sink that leaves a trace: a counter only the edited route increments. */
    static final String MARKER_STEP = """
                    - to:
                        uri: micrometer:counter:ddbstream.scaler.polls
            """;
    static final String MARKED_STEP = MARKER_STEP + """
                    - to:
                        uri: micrometer:counter:edited.route.marker
            """;

    AgentHarness h;
    ScalerAgent agent;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        h.aws.state().createTable("orders", 2);
        h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private long polls() {
        return agent.store().require(ID).polls();
    }

    private void awaitMorePolls() {
        long before = polls();
        await().atMost(Duration.ofSeconds(10)).until(() -> polls() >= before + 2);
    }

    private double marker() {
        var c = agent.registry().find("edited.route.marker").counter();
        return c == null ? 0 : c.count();
    }

    private static String sinks(Path folder) throws IOException {
        return Files.readString(folder.resolve("sinks.camel.yaml"));
    }

    @Test
    void aPlainRouteEditTakesEffectWithoutARestart() throws Exception {
        agent = h.start(h.options(false, false, null));
        awaitMorePolls();
        assertNull(agent.registry().find("edited.route.marker").counter());
        String edited = sinks(h.routes).replace(MARKER_STEP, MARKED_STEP);
        Files.writeString(h.routes.resolve("sinks.camel.yaml"), edited, StandardCharsets.UTF_8);
        agent.checkForChanges();
        await().atMost(Duration.ofSeconds(10)).until(() -> marker() >= 2);
    }

    @Test
    void aConfigMapStyleSymlinkSwapIsSeen(@TempDir Path mounted) throws Exception {
        // The kubelet's layout: ..<timestamp>/ holds the files, ..data links to it, each name links through ..data.
        Path first = Files.createDirectory(mounted.resolve("..2026_11_24_10_00_00.000000001"));
        try (Stream<Path> files = Files.list(h.routes)) {
            for (Path f : files.toList()) {
                Files.copy(f, first.resolve(f.getFileName()));
                Files.createSymbolicLink(mounted.resolve(f.getFileName()), Path.of("..data").resolve(f.getFileName()));
            }
        }
        Files.createSymbolicLink(mounted.resolve("..data"), first.getFileName());
        agent = h.start(new AgentOptions(h.options(false, false, null).configPaths(), mounted, false, false, false, null,
                null, -1, Duration.ofMinutes(10), Duration.ofSeconds(3)));
        awaitMorePolls();

        Path second = Files.createDirectory(mounted.resolve("..2026_11_24_10_05_00.000000002"));
        try (Stream<Path> files = Files.list(first)) {
            for (Path f : files.toList()) {
                Files.copy(f, second.resolve(f.getFileName()));
            }
        }
        Files.writeString(second.resolve("sinks.camel.yaml"), sinks(first).replace(MARKER_STEP, MARKED_STEP));
        Path tmpLink = mounted.resolve("..data_tmp");
        Files.createSymbolicLink(tmpLink, second.getFileName());
        Files.move(tmpLink, mounted.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        agent.checkForChanges();
        await().atMost(Duration.ofSeconds(10)).until(() -> marker() >= 2);
    }

    @Test
    void anInvalidRouteEditKeepsTheLastGoodRoutesRunning() throws Exception {
        agent = h.start(h.options(false, false, null));
        awaitMorePolls();
        int routes = agent.camelContext().getRoutes().size();
        Files.writeString(h.routes.resolve("sinks.camel.yaml"), "- route:\n    from:\n      uri: direct:scale\n      steps:\n        - nosuchstep: {}\n");
        agent.checkForChanges();
        assertEquals(1, AgentHarness.counter(agent, "ddbstream.scaler.config.errors", "kind", "routes"));
        assertEquals(routes, agent.camelContext().getRoutes().size());
        awaitMorePolls();
        // A removed template is refused as well: the loop could not be made from it.
        Files.writeString(h.routes.resolve("scale-loop.camel.yaml"), "# emptied by mistake\n");
        Files.writeString(h.routes.resolve("sinks.camel.yaml"), sinks(Path.of("routes")));
        agent.checkForChanges();
        assertEquals(2, AgentHarness.counter(agent, "ddbstream.scaler.config.errors", "kind", "routes"));
        awaitMorePolls();
    }

    @Test
    void aScaledObjectEditRecreatesItsRoute() throws Exception {
        agent = h.start(h.options(false, false, null));
        awaitMorePolls();
        assertEquals(1, h.replicas("Deployment", "consumer"));
        // shardCount 2 -> 1: the same 2 shards now ask for 2 replicas.
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 1, ""));
        agent.checkForChanges();
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(2).equals(h.replicas("Deployment", "consumer")));
        assertEquals(1L, agent.store().require(ID).config().triggers().get(0).shardCount());
    }

    @Test
    void anInvalidTriggerEditKeepsTheLastGoodConfiguration() throws Exception {
        agent = h.start(h.options(false, false, null));
        awaitMorePolls();
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, "")
                .replace("shardCount: \"2\"", "shardCount: \"two\""));
        agent.checkForChanges();
        assertEquals(1, AgentHarness.counter(agent, "ddbstream.scaler.config.errors", "kind", "triggers"));
        awaitMorePolls();
        assertEquals(2L, agent.store().require(ID).config().triggers().get(0).shardCount());
        // Unparseable YAML as well.
        h.writeTriggers("so.yaml", "kind: ScaledObject\nspec: [unclosed\n");
        agent.checkForChanges();
        awaitMorePolls();
        assertEquals(1, agent.schedule().size(), "still scheduled");
    }

    @Test
    void aDeletedScaledObjectIsNoLongerPolled() throws Exception {
        agent = h.start(h.options(false, false, null));
        awaitMorePolls();
        Files.delete(h.triggers.resolve("so.yaml"));
        agent.checkForChanges();
        assertEquals(0, agent.schedule().size());
        assertEquals(0, agent.store().size());
    }
}
