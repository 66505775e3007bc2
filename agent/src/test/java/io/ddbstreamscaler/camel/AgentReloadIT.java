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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Routes and trigger files change under a running agent: plain edits, ConfigMap symlink swaps, invalid edits. The
 * agent's own watcher finds each change, as in production, on a short period.
 */
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

    static final Duration WATCH = Duration.ofMillis(100);

    AgentHarness h;
    ScalerAgent agent;

    /** The harness's options with the real watcher on a short period. */
    private AgentOptions watched(Path routes) {
        return new AgentOptions(List.of(h.triggers), routes, false, false, false, null, null, -1, WATCH,
                Duration.ofSeconds(3));
    }

    private double configErrors(String kind) {
        return AgentHarness.counter(agent, "ddbstream.scaler.config.errors", "kind", kind);
    }

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
        agent = h.start(watched(h.routes));
        awaitMorePolls();
        assertNull(agent.registry().find("edited.route.marker").counter());
        String edited = sinks(h.routes).replace(MARKER_STEP, MARKED_STEP);
        Files.writeString(h.routes.resolve("sinks.camel.yaml"), edited, StandardCharsets.UTF_8);
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
        agent = h.start(watched(mounted));
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
        await().atMost(Duration.ofSeconds(10)).until(() -> marker() >= 2);
    }

    @Test
    void anInvalidRouteEditKeepsTheLastGoodRoutesRunning() throws Exception {
        agent = h.start(watched(h.routes));
        awaitMorePolls();
        int routes = agent.camelContext().getRoutes().size();
        Files.writeString(h.routes.resolve("sinks.camel.yaml"), "- route:\n    from:\n      uri: direct:scale\n      steps:\n        - nosuchstep: {}\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> configErrors("routes") >= 1);
        assertEquals(routes, agent.camelContext().getRoutes().size());
        awaitMorePolls();
        // A removed template is refused as well: the loop could not be made from it.
        double before = configErrors("routes");
        Files.writeString(h.routes.resolve("scale-loop.camel.yaml"), "# emptied by mistake\n");
        Files.writeString(h.routes.resolve("sinks.camel.yaml"), sinks(Path.of("routes")));
        await().atMost(Duration.ofSeconds(10)).until(() -> configErrors("routes") > before);
        awaitMorePolls();
        assertEquals(routes, agent.camelContext().getRoutes().size());
    }

    @Test
    void aScaledObjectEditRecreatesItsRoute() throws Exception {
        agent = h.start(watched(h.routes));
        awaitMorePolls();
        assertEquals(1, h.replicas("Deployment", "consumer"));
        // shardCount 2 -> 1: the same 2 shards now ask for 2 replicas.
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 1, ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(2).equals(h.replicas("Deployment", "consumer")));
        assertEquals(1L, agent.store().require(ID).config().triggers().get(0).shardCount());
    }

    @Test
    void anInvalidTriggerEditKeepsTheLastGoodConfiguration() throws Exception {
        agent = h.start(watched(h.routes));
        awaitMorePolls();
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, "")
                .replace("shardCount: \"2\"", "shardCount: \"two\""));
        await().atMost(Duration.ofSeconds(10)).until(() -> configErrors("triggers") >= 1);
        awaitMorePolls();
        assertEquals(2L, agent.store().require(ID).config().triggers().get(0).shardCount());
        // Unparseable YAML as well.
        double before = configErrors("triggers");
        h.writeTriggers("so.yaml", "kind: ScaledObject\nspec: [unclosed\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> configErrors("triggers") > before);
        awaitMorePolls();
        assertEquals(1, agent.schedule().size(), "still scheduled");
    }

    @Test
    void aDeletedScaledObjectIsNoLongerPolled() throws Exception {
        agent = h.start(watched(h.routes));
        awaitMorePolls();
        Files.delete(h.triggers.resolve("so.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.store().size() == 0);
        assertEquals(0, agent.schedule().size());
    }
}
