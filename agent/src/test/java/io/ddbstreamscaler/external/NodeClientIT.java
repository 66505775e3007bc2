package io.ddbstreamscaler.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.ship.RequiredTool;
import io.ddbstreamscaler.simulator.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second, independent client: grpc-js 1.14.7 with @grpc/proto-loader 0.8.1 (agent/src/test/node/external-client) loads
 * the .proto at run time and calls every method over loopback; health.js calls the standard health service with
 * hand-encoded messages. Where node or the client's node_modules are missing
 * ({@code npm ci --prefix agent/src/test/node/external-client}): skipped with the reason, and a failure in CI.
 */
class NodeClientIT {

    static final Path CLIENT = Path.of("agent/src/test/node/external-client").toAbsolutePath();

    ExternalScalerFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void grpcJsHealthCheckIsServingForTheServerAndNotFoundForAnUnknownService() throws Exception {
        requireGrpcJs();
        f = new ExternalScalerFixture(Duration.ofSeconds(30), new ManualClock());
        String address = "127.0.0.1:" + f.server.port();

        JsonNode server = node("health.js", address, "");
        JsonNode api = node("health.js", address, "externalscaler.ExternalScaler");
        JsonNode unknown = node("health.js", address, "orders.Orders");

        assertAll(
                () -> assertEquals("SERVING", server.at("/status").asText(), server.toString()),
                () -> assertEquals("SERVING", api.at("/status").asText(), api.toString()),
                () -> assertEquals("NOT_FOUND", unknown.at("/code").asText(), unknown.toString()),
                () -> assertEquals(0, f.sim.requests().size(), "health checks never reach AWS"));
    }

    @Test
    void grpcJsGetsTheSameAnswersAsKedaWould() throws Exception {
        requireGrpcJs();
        f = new ExternalScalerFixture(Duration.ofSeconds(30), new ManualClock());
        f.sim.state().createTable("orders", 3);
        String metadata = new ObjectMapper().writeValueAsString(f.metadata("orders", "shardCount", "2",
                "activationShardCount", "2"));

        JsonNode r = node("client.js", "127.0.0.1:" + f.server.port(), metadata);
        String out = r.toString();
        assertAll(
                () -> assertEquals("aws-dynamodb-streams-orders", r.at("/spec/metricSpecs/0/metricName").asText()),
                () -> assertEquals(2, r.at("/spec/metricSpecs/0/targetSize").asLong()),
                () -> assertEquals(3, r.at("/metrics/metricValues/0/metricValue").asLong()),
                () -> assertEquals(3.0, r.at("/metrics/metricValues/0/metricValueFloat").asDouble()),
                () -> assertTrue(r.at("/active/result").asBoolean(), "3 > 2"),
                () -> assertTrue(r.at("/push/result").asBoolean(), "the stream's first message"),
                () -> assertEquals("INVALID_ARGUMENT", r.at("/invalid/code").asText()),
                () -> assertTrue(r.at("/invalid/details").asText().contains("metadata.shardCount"), out),
                () -> assertEquals(1, f.sim.requests("DescribeStream").size(), "one reading served every call"));
    }

    /** Runs one of the client scripts and reads the JSON object it prints. */
    private static void requireGrpcJs() {
        if (!Files.isDirectory(CLIENT.resolve("node_modules/@grpc/grpc-js"))) {
            RequiredTool.missing("grpc-js is not installed", "npm ci --prefix " + CLIENT + "; .ci/run does");
        }
    }

    static JsonNode node(String script, String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of("node", CLIENT.resolve(script).toString()));
        command.addAll(java.util.List.of(args));
        Process node;
        try {
            node = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (java.io.IOException e) {
            RequiredTool.missing("node is not installed", "Node 20; .ci/run needs it");
            throw e;
        }
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, node.exitValue(), out);
        return new ObjectMapper().readTree(out);
    }
}
