package io.ddbstreamscaler.observe;

import io.ddbstreamscaler.camel.ConfigReadiness;

import io.ddbstreamscaler.bench.ExternalAgent;
import io.ddbstreamscaler.bench.FleetYaml;
import io.ddbstreamscaler.bench.ShippedJvm;
import io.ddbstreamscaler.bench.SimulatedFleet;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The management port over real HTTP: first the server alone on a Camel context with a readiness check the test turns
 * DOWN, then the packaged agent ({@code java -jar target/ddbstream-scaler.jar run}, the image's flags) against the
 * simulators: the series the dashboards use, its health, and that it loads no Vert.x or Netty class.
 */
class ManagementServerIT {

    /** A readiness check the test turns on and off, as the agent's ConfigReadiness turns UP once loaded. */
    static final class Switch extends AbstractHealthCheck {
        volatile boolean up = true;

        Switch() {
            super("test", "switch");
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            if (up) {
                builder.up();
            } else {
                builder.down();
            }
        }
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static CamelContext context;
    static Switch readiness;
    static ManagementServer server;

    @BeforeAll
    static void start() throws Exception {
        context = new DefaultCamelContext();
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        checks.setExposureLevel("oneline");
        checks.register(checks.resolveById("context"));
        readiness = new Switch();
        checks.register(readiness);
        context.start();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("ddbstream_scaler_test_events").increment(3);
        server = ManagementServer.start(0, registry, context, () -> "{\"scaledObjects\":2}");
    }

    @AfterAll
    static void stop() {
        server.close();
        context.stop();
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Stream<Arguments> paths() {
        String json = "application/json";
        return Stream.of(
                arguments("metrics, Prometheus text 0.0.4", "/observe/metrics", 200, "text/plain; version=0.0.4; charset=utf-8",
                        "ddbstream_scaler_test_events_total 3.0"),
                arguments("health, all checks", "/observe/health", 200, json, "{\"status\":\"UP\"}"),
                arguments("liveness", "/observe/health/live", 200, json, "{\"status\":\"UP\"}"),
                arguments("readiness", "/observe/health/ready", 200, json, "{\"status\":\"UP\"}"),
                arguments("a trailing slash is the same path", "/observe/health/ready/", 200, json, "{\"status\":\"UP\"}"),
                arguments("status, from the supplier", "/observe/status", 200, json, "{\"scaledObjects\":2}"),
                arguments("unknown path", "/observe/nothing", 404, null, ""),
                arguments("outside /observe", "/metrics", 404, null, ""));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("paths")
    void answersAsCamelMainDid(String row, String path, int status, String contentType, String bodyContains) throws Exception {
        HttpResponse<String> r = get(server.port(), path);
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(contentType, r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.body().contains(bodyContains), r.body());
    }

    @Test
    void readinessDownIs503AndLivenessStaysUp() throws Exception {
        readiness.up = false;
        try {
            HttpResponse<String> ready = get(server.port(), "/observe/health/ready");
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"DOWN\"}", ready.body());
            assertEquals(503, get(server.port(), "/observe/health").statusCode());
            assertEquals(200, get(server.port(), "/observe/health/live").statusCode());
        } finally {
            readiness.up = true;
        }
        assertEquals(200, get(server.port(), "/observe/health/ready").statusCode());
    }

    @Test
    void onlyGet() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/observe/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
    }

    @Test
    void thePackagedAgentServesItsSeriesAndLoadsNoVertx(@TempDir Path work) throws Exception {
        Path jar = Path.of("target/ddbstream-scaler.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run after `mvn package`: " + jar);
        Path classLog = work.resolve("classes.log");
        int port = ExternalAgent.freePort();
        try (SimulatedFleet fleet = new SimulatedFleet(work, 1, 2, 2, false, 4, 1);
             ExternalAgent agent = ExternalAgent.start(new ExternalAgent.Launch(
                     ProcessHandle.current().info().command().orElse("java"), jar, ShippedJvm.JAVA_TOOL_OPTIONS,
                     List.of("-Xlog:class+load=info:file=" + classLog), fleet.triggers, Path.of("routes").toAbsolutePath(),
                     fleet.kubeconfig, port, work))) {
            String[] scraped = {""};
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            try {
                                HttpResponse<String> r = get(port, "/observe/metrics");
                                scraped[0] = r.statusCode() == 200 ? r.body() : "";
                            } catch (java.io.IOException notYet) {
                                scraped[0] = "";
                            }
                            return !agent.isAlive() || scraped[0].contains("ddbstream_scaler_polls_total{");
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // the assertions below say what is missing
            }
            String metrics = scraped[0];
            assertTrue(metrics.contains("ddbstream_scaler_polls_total{"), "no polls counted; agent log: " + agent.tail());
            assertTrue(metrics.contains("jvm_memory_used_bytes{"), "the JVM binders' series are missing");
            assertTrue(metrics.contains("jvm_threads_live_threads"), "the JVM binders' series are missing");
            assertEquals(200, get(port, "/observe/health/ready").statusCode());
            assertEquals(200, get(port, "/observe/health/live").statusCode());
            assertFalse(fleet.kube.dispatcher().requests("PUT", SimulatedFleet.scalePath(FleetYaml.deployment(1))).isEmpty(),
                    "the agent made no scale write");
            List<String> loaded = Files.readAllLines(classLog);
            assertTrue(loaded.size() > 1000, "the class-load log is empty: " + loaded.size());
            List<String> heavy = loaded.stream().filter(l -> l.contains(" io.vertx.") || l.contains(" io.netty.")).limit(5).toList();
            assertEquals(List.of(), heavy, "the agent loaded Vert.x or Netty classes");
        }
    }
}
