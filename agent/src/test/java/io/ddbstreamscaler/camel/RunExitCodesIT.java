package io.ddbstreamscaler.camel;

import ch.qos.logback.classic.Level;
import io.ddbstreamscaler.cli.ScalerCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.SCALE_PATH;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --once} never exits 0 on a configuration that does not load: a CronJob or a CI step built on it must not
 * report success while scaling nothing. The objects that load are still polled and scaled; 2 wins over a failed poll's 1.
 * A taken management port and a missing routes folder are one line each, before any poll.
 */
class RunExitCodesIT {

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
        h.aws.state().createTable(TABLE, 8); // 8 shards at 2 per replica: 4 replicas
        h.createConsumer(1);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** The harness's good file: Secret, TriggerAuthentication and the ScaledObject orders-consumer. */
    static String good(FaultHarness h) {
        return h.scaledObject(2, KEY_ID, "");
    }

    /** A second ScaledObject (same target, so "scaled" stays about the good one) from the good file's objects. */
    static String another(FaultHarness h, String from, String to) {
        return h.scaledObjectOnly(2, "").replace("name: orders-consumer", "name: another").replace(from, to);
    }

    interface Files {
        Map<String, String> of(FaultHarness h);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, trigger files, extra options, exit code, stderr's last line (fragment), the ERROR line
                // (fragment, or null), replicas after the run
                Arguments.of("every ScaledObject loads and scales", (Files) h -> Map.of("so.yaml", good(h)),
                        List.of(), 0, null, null, 4),
                Arguments.of("one of two does not load (shardCount 0): the other is still scaled",
                        (Files) h -> Map.of("so.yaml", good(h), "zero.yaml", another(h, "shardCount: \"2\"", "shardCount: \"0\"")),
                        List.of(), 2, "error: 1 object(s) of the trigger files did not load (each error is logged above);"
                                + " the 1 that loaded were polled: exit 2",
                        "ScaledObject keda-test/another: spec.triggers[0].metadata.shardCount: must be at least 1, got 0", 4),
                Arguments.of("a misspelt trigger type is an error, not a ScaledObject skipped",
                        (Files) h -> Map.of("so.yaml", good(h).replace("type: aws-dynamodb-stream", "type: aws-dynamodb-steams")),
                        List.of(), 2, "error: 1 object(s) of the trigger files did not load",
                        "spec.triggers[0].type: unknown trigger type \"aws-dynamodb-steams\": did you mean aws-dynamodb-streams?", 1),
                Arguments.of("its Secret is in neither the files nor the cluster",
                        (Files) h -> Map.of("so.yaml", good(h).substring(good(h).indexOf("---\n") + 4)),
                        List.of(), 2, "error: 1 object(s) of the trigger files did not load",
                        "Secret keda-test/orders-keys is neither in the given files nor in the cluster", 1),
                Arguments.of("nothing of ours to poll (another scaler's ScaledObject)",
                        (Files) h -> Map.of("so.yaml", h.scaledObjectOnly(2, "").replace("type: aws-dynamodb-stream", "type: kafka")),
                        List.of(), 2, "error: nothing to poll: no ScaledObject with an aws-dynamodb-stream(s) trigger in", null, 1),
                Arguments.of("an unknown metadata key is a warning: the object loads and scales",
                        (Files) h -> Map.of("so.yaml", good(h).replace("shardCount: \"2\"", "shardCount: \"2\"\n      sharedCount: \"3\"")),
                        List.of(), 0, null, null, 4),
                Arguments.of("--strict: the same unknown key keeps the object from loading",
                        (Files) h -> Map.of("so.yaml", good(h).replace("shardCount: \"2\"", "shardCount: \"2\"\n      sharedCount: \"3\"")),
                        List.of("--strict"), 2, "error: 1 object(s) of the trigger files did not load",
                        "spec.triggers[0].metadata.sharedCount: is not a key of this trigger and is ignored; did you mean"
                                + " shardCount? (an error with --strict)", 1));
    }

    @ParameterizedTest(name = "{0}: exit {3}")
    @MethodSource("rows")
    void runOnceExitCode(String name, Files files, List<String> options, int exit, String lastLine, String error,
                         int replicas) {
        files.of(h).forEach(h::writeTriggers);
        List<String> args = new ArrayList<>(List.of("run", "--once", "-f", h.triggers.toString(), "--routes",
                h.routes.toString(), "--kubeconfig", h.kubeconfig.toString(), "--leader-election", "false"));
        args.addAll(options);

        Result r = run(args);

        assertAll(
                () -> assertEquals(exit, r.code(), r::err),
                () -> assertTrue(lastLine == null ? r.err().isBlank() : r.lastErrLine().startsWith(lastLine), r::err),
                () -> assertTrue(error == null || !h.log.at(Level.ERROR, error).isEmpty(),
                        () -> "no ERROR line with " + error + " in " + h.log.lines()),
                () -> assertEquals(Integer.valueOf(replicas), h.replicas()));
    }

    @Test
    void aTakenManagementPortIsOneLineBeforeAnyPoll() throws Exception {
        h.writeTriggers("so.yaml", good(h));
        try (ServerSocket taken = new ServerSocket(0)) {
            Result r = run(List.of("run", "--once", "-f", h.triggers.toString(), "--routes", h.routes.toString(),
                    "--kubeconfig", h.kubeconfig.toString(), "--leader-election", "false",
                    "--management-port", Integer.toString(taken.getLocalPort())));

            assertAll(
                    () -> assertEquals(2, r.code(), r::err),
                    () -> assertEquals(List.of("error: management port " + taken.getLocalPort() + " cannot be listened on"),
                            r.err().lines().map(l -> l.replaceAll(" \\(.*", "")).toList(), r::err),
                    () -> assertTrue(r.err().contains("--management-port N (SCALER_MANAGEMENT_PORT; -1 serves none)"), r::err),
                    () -> assertEquals(List.of(), h.aws.requests(), "no AWS call: nothing was polled"),
                    () -> assertEquals(List.of(), h.kube.dispatcher().requests("GET", SCALE_PATH), "nothing was read"),
                    () -> assertEquals(Integer.valueOf(1), h.replicas()));
        }
    }

    @Test
    void aSecretTheClusterRefusesIsOneLineNamingTheRoleRuleAndNothingIsWritten() {
        // The Secret is not in the files: the agent reads it from the cluster, whose Role lacks get on it (a real API
        // server's answer: cluster-tests' LeastPrivilegeIT removes that rule).
        h.writeTriggers("so.yaml", good(h).substring(good(h).indexOf("---\n") + 4));
        h.kube.dispatcher().inject("GET", "/api/v1/namespaces/" + FaultHarness.NS + "/secrets/orders-keys", 403, -1);

        Result r = run(List.of("run", "--once", "-f", h.triggers.toString(), "--routes", h.routes.toString(),
                "--kubeconfig", h.kubeconfig.toString(), "--leader-election", "false"));

        assertAll(
                () -> assertEquals(1, r.code(), r::err),
                () -> assertEquals(1, r.err().lines().count(), r::err),
                () -> assertTrue(r.err().startsWith("error: get secrets " + FaultHarness.NS + "/orders-keys was forbidden (403)"),
                        r::err),
                () -> assertTrue(r.err().contains("{apiGroups: [\"\"], resources: [\"secrets\"], resourceNames: [\"orders-keys\"],"
                        + " verbs: [\"get\"]}"), r::err),
                () -> assertEquals(List.of(), h.kube.dispatcher().requests("PUT", SCALE_PATH), "nothing was written"),
                () -> assertEquals(Integer.valueOf(1), h.replicas()));
    }

    @Test
    void noRoutesFolderIsOneLineNamingTheOptionAndTheVariable() {
        h.writeTriggers("so.yaml", good(h));
        Result r = run(List.of("run", "--once", "-f", h.triggers.toString(), "--routes",
                h.routes.resolve("missing").toString(), "--kubeconfig", h.kubeconfig.toString()));

        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r::err);
        assertTrue(r.err().startsWith("error: no routes folder: " + h.routes.resolve("missing") + " does not exist;"), r::err);
        assertTrue(r.err().contains("--routes DIR or SCALER_ROUTES=DIR"), r::err);
        assertFalse(r.err().contains("Exception"), r::err);
    }

    record Result(int code, String err) {
        String lastErrLine() {
            List<String> lines = err.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private static Result run(List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ScalerCli());
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        return new Result(code, err.toString());
    }
}
