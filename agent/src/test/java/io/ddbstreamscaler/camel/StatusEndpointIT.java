package io.ddbstreamscaler.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.cli.ScalerCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status view (docs/events-and-status.md): a running agent serves /observe/status on its management port, and the {@code status}
 * command prints it in the manner of {@code kubectl get hpa}. No credential in either.
 */
class StatusEndpointIT {

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        h.aws.state().createTable("orders", 3);
        h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void theAgentServesItsStatusAndTheCommandPrintsIt() throws Exception {
        var o = h.options(false, false, null);
        ScalerAgent agent = h.start(new AgentOptions(o.configPaths(), o.routesFolder(), false, false, false, null, null, 0,
                o.watchPeriod(), o.leaseDuration()));
        await().atMost(Duration.ofSeconds(15)).until(() -> Integer.valueOf(2).equals(h.replicas("Deployment", "consumer")));
        await().atMost(Duration.ofSeconds(15)).until(() -> agent.store().require("keda-test/orders-consumer")
                .lastDecision().currentReplicas() == 2);
        String url = agent.managementUrl();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/observe/status"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode so = new ObjectMapper().readTree(r.body()).path("scaledObjects").get(0);
        assertAll(
                () -> assertEquals(200, r.statusCode()),
                () -> assertEquals("orders-consumer", so.path("name").asText()),
                () -> assertEquals("Deployment", so.path("target").path("kind").asText()),
                () -> assertEquals(3, so.path("triggers").get(0).path("shards").path("total").asInt()),
                () -> assertEquals(3, so.path("triggers").get(0).path("metric").asInt()),
                () -> assertEquals(2, so.path("triggers").get(0).path("target").asInt()),
                () -> assertEquals(2, so.path("replicas").path("desired").asInt()),
                () -> assertTrue(so.path("leader").asBoolean()),
                () -> assertFalse(r.body().contains(AgentHarness.KEY_ID) || r.body().contains("harness-secret"), "no credential"));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new ScalerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("status", "--url", url);
        List<String> lines = out.toString().lines().toList();
        assertAll(
                () -> assertEquals(0, code, err.toString()),
                () -> assertTrue(lines.get(0).startsWith("NAMESPACE"), out.toString()),
                () -> assertTrue(lines.get(1).contains("orders-consumer") && lines.get(1).contains("Deployment/consumer")
                        && lines.get(1).contains("3/0/3") && lines.get(1).contains("3/2"), out.toString()),
                () -> assertFalse(out.toString().contains(AgentHarness.KEY_ID), "no credential"));
    }

    @Test
    void aScaledObjectThatDoesNotLoadIsListedWithItsErrorsWhileTheOthersRun() throws Exception {
        h.writeTriggers("zero.yaml", h.scaledObject("broken", "orders", "Deployment", "consumer", 0, ""));
        var o = h.options(false, false, null);
        ScalerAgent agent = h.start(new AgentOptions(o.configPaths(), o.routesFolder(), false, false, false, null, null, 0,
                o.watchPeriod(), o.leaseDuration()));
        await().atMost(Duration.ofSeconds(15)).until(() -> Integer.valueOf(2).equals(h.replicas("Deployment", "consumer")));
        JsonNode status = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(agent.managementUrl() + "/observe/status")).build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode failed = status.path("failedToLoad");
        assertAll(
                () -> assertEquals(List.of("keda-test/orders-consumer"), agent.store().all().stream()
                        .map(e -> e.config().id()).toList(), "the good one runs"),
                () -> assertEquals(1, status.path("agent").path("failedToLoad").asInt()),
                () -> assertEquals(1, failed.size(), failed::toString),
                () -> assertEquals(h.triggers.resolve("zero.yaml").toString(), failed.get(0).path("file").asText()),
                () -> assertEquals("ScaledObject keda-test/broken", failed.get(0).path("object").asText()),
                () -> assertEquals("spec.triggers[0].metadata.shardCount: must be at least 1, got 0",
                        failed.get(0).path("errors").get(0).asText()),
                () -> assertFalse(failed.get(0).path("lastGoodRunning").asBoolean()),
                () -> assertEquals(1.0, agent.registry().find("ddbstream.scaler.invalid.objects").gauge().value()),
                () -> assertEquals(1.0, AgentHarness.counter(agent, "ddbstream.scaler.config.errors", "kind", "triggers")));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new ScalerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("status", "--url", agent.managementUrl());
        assertAll(
                () -> assertEquals(0, code, err.toString()),
                () -> assertEquals(List.of("1 object(s) of the trigger files did not load:",
                        "  " + h.triggers.resolve("zero.yaml") + ": ScaledObject keda-test/broken:"
                                + " spec.triggers[0].metadata.shardCount: must be at least 1, got 0"),
                        err.toString().lines().toList()));

        // Fixed: the list empties at the next load, and the ScaledObject runs.
        h.writeTriggers("zero.yaml", h.scaledObject("broken", "orders", "Deployment", "consumer", 2, ""));
        agent.checkForChanges();
        assertAll(
                () -> assertEquals(List.of(), agent.failedToLoad()),
                () -> assertEquals(0.0, agent.registry().find("ddbstream.scaler.invalid.objects").gauge().value()),
                () -> assertTrue(agent.store().get("keda-test/broken").isPresent()));
    }
}
