package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code status} in-process through picocli against a real HTTP server standing in for the agent's management port. */
class StatusCommandIT {

    /** The integrator's contract, two ScaledObjects: one led here, one not. */
    static final String DOCUMENT = """
            {"agent": {"pod": "agent-0", "leaderElection": true, "dryRun": false, "scaledObjects": 2, "leading": 1},
             "scaledObjects": [
              {"namespace": "keda-test", "name": "orders", "target": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "consumer"},
               "leader": true, "paused": false, "active": true, "fallback": false,
               "replicas": {"current": 2, "desired": 3, "min": 1, "max": 50},
               "triggers": [{"index": 0, "table": "orders", "region": "us-east-1", "countClosedShards": true,
                             "shards": {"open": 3, "closed": 2, "total": 5}, "metric": 5, "target": 2, "error": null}],
               "reason": "ScaleUp", "lastPoll": "2026-12-01T08:00:00Z", "lastError": null},
              {"namespace": "keda-test", "name": "payments", "target": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "payer"},
               "leader": false, "paused": null, "active": null, "fallback": null,
               "replicas": {"current": null, "desired": null, "min": 1, "max": 10},
               "triggers": [{"index": 0, "table": "payments", "region": "us-east-1", "countClosedShards": true,
                             "shards": null, "metric": null, "target": 2, "error": null}],
               "reason": null, "lastPoll": null, "lastError": null}]}""";

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T08:03:00Z"), ZoneOffset.UTC);

    final List<HttpServer> servers = new ArrayList<>();
    final List<String> paths = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StatusCommand(CLOCK));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Serves {@code body} with {@code status} at every path, on a free loopback port; returns the base URL. */
    String serve(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            synchronized (paths) {
                paths.add(exchange.getRequestURI().getPath());
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void printsOneRowPerScaledObjectLikeKubectlGetHpa() throws Exception {
        Run run = run("--url", serve(200, DOCUMENT));

        List<String> lines = run.out().lines().toList();
        assertAll(
                () -> assertEquals(0, run.exitCode(), run.err()),
                () -> assertEquals(List.of("/observe/status"), paths),
                () -> assertEquals(3, lines.size(), run.out()),
                () -> assertEquals(List.of("NAMESPACE", "NAME", "REFERENCE", "SHARDS", "METRIC", "MIN", "MAX",
                        "CURRENT", "DESIRED", "ACTIVE", "LEADER", "LAST", "POLL", "REASON"),
                        List.of(lines.get(0).split(" +"))),
                () -> assertEquals(List.of("keda-test", "orders", "Deployment/consumer", "3/2/5", "5/2", "1", "50",
                        "2", "3", "True", "True", "3m", "ScaleUp"), List.of(lines.get(1).split(" +"))),
                () -> assertEquals(List.of("keda-test", "payments", "Deployment/payer", "<unknown>", "<unknown>/2",
                        "1", "10", "<unknown>", "<unknown>", "Unknown", "False", "<none>", "<none>"),
                        List.of(lines.get(2).split(" +"))));
    }

    @Test
    void jsonPrintsTheDocumentAsReceived() throws Exception {
        Run run = run("--url", serve(200, DOCUMENT) + "/", "-o", "json");

        ObjectMapper json = new ObjectMapper();
        assertAll(
                () -> assertEquals(0, run.exitCode(), run.err()),
                () -> assertEquals(json.readTree(DOCUMENT), json.readTree(run.out())),
                () -> assertTrue(run.out().lines().count() > 20, "pretty-printed: " + run.out()));
    }

    @Test
    void nothingListeningSaysWhatToCheck() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Run run = run("--url", "http://127.0.0.1:" + port);

        assertAll(
                () -> assertEquals(1, run.exitCode()),
                () -> assertEquals("", run.out()),
                () -> assertTrue(run.err().contains("no answer from http://127.0.0.1:" + port + "/observe/status"
                        + " (connection refused): is the agent running"), run.err()),
                () -> assertTrue(run.err().contains("kubectl port-forward pod/<agent-pod> " + port), run.err()));
    }

    static Stream<Arguments> wrongAnswers() {
        return Stream.of(
                Arguments.of("not found", 404, "{}", "answered HTTP 404: is"),
                Arguments.of("the health endpoint's shape", 200, "{\"status\": \"UP\"}",
                        "not with the agent's status document: scaledObjects: missing"),
                Arguments.of("not JSON", 200, "<html>hello</html>", "answered, but not with JSON"),
                Arguments.of("a field of the wrong type", 200, DOCUMENT.replace("\"max\": 50", "\"max\": \"fifty\""),
                        "scaledObjects[0].replicas.max: expected a whole number, got \"fifty\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongAnswers")
    void anAnswerThatIsNotTheStatusDocumentIsExitOneSayingWhy(String name, int status, String body, String inError)
            throws Exception {
        Run run = run("--url", serve(status, body));

        assertAll(
                () -> assertEquals(1, run.exitCode()),
                () -> assertEquals("", run.out()),
                () -> assertTrue(run.err().startsWith("error: "), run.err()),
                () -> assertTrue(run.err().contains(inError), run.err()));
    }

    @Test
    void aUrlWithoutSchemeIsRefusedClearly() {
        Run run = run("--url", "localhost:9876");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("expected http://HOST:PORT"), run.err());
    }
}
