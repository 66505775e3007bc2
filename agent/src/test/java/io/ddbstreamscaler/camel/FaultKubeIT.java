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
import java.util.stream.Stream;

import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.NS;
import static io.ddbstreamscaler.camel.FaultHarness.SCALE_PATH;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static io.ddbstreamscaler.camel.FaultHarness.TARGET;
import static io.ddbstreamscaler.camel.FaultHarness.detailErrors;
import static io.ddbstreamscaler.camel.FaultHarness.lastPollOk;
import static io.ddbstreamscaler.camel.FaultHarness.scaledObjectErrors;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes API server misbehaves under a running agent while the shards ask for a new count. For every fault:
 * every write carries the count the shards justify (a refused write is not applied, never retried with another
 * count), the failure is logged and counted in keda_scaled_object_errors_total (not as a scaler error: the probe
 * worked), and the next poll after the fault clears writes the count.
 */
class FaultKubeIT {

    static final Duration BOUND = Duration.ofSeconds(15);

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Stream<Arguments> kubeFaults() {
        return Stream.of(
                // name, fault, clearing action, what the ERROR line says
                Arguments.of("409 Conflict on every write, past the route's 3 redeliveries",
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("PUT", SCALE_PATH, 409, -1),
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().clearFaults(), "conflict (409) persisted after retries"),
                Arguments.of("403 Forbidden on the write (Role without update on deployments/scale)",
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("PUT", SCALE_PATH, 403, -1),
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().clearFaults(),
                        "resources: [\"deployments/scale\"], resourceNames: [\"consumer\"], verbs: [\"update\"]"),
                Arguments.of("403 Forbidden on reading /scale (Role without get)",
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("GET", SCALE_PATH, 403, -1),
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().clearFaults(), "was forbidden (403)"),
                Arguments.of("503 from the API server on reading /scale",
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().inject("GET", SCALE_PATH, 503, -1),
                        (FaultAwsIT.Step) (h, a) -> h.kube.dispatcher().clearFaults(), "unavailable (503)"),
                Arguments.of("404: the target Deployment deleted mid-run, then created again",
                        (FaultAwsIT.Step) (h, a) -> h.kube.client().apps().deployments().inNamespace(NS).withName(TARGET).delete(),
                        (FaultAwsIT.Step) (h, a) -> h.createConsumer(1), "not found (404)"),
                Arguments.of("API server down, then back on the same address",
                        (FaultAwsIT.Step) (h, a) -> h.kube.goDown(),
                        (FaultAwsIT.Step) (h, a) -> h.kube.comeBack(), "unavailable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubeFaults")
    void aFailedReadOrWriteIsReportedNeverWrongAndRetriedNextPoll(String name, FaultAwsIT.Step fault,
                                                                  FaultAwsIT.Step clear, String logFragment) throws Exception {
        h.aws.state().createTable(TABLE, 2);
        h.createConsumer(1);
        h.writeTriggers("so.yaml", h.scaledObject(2, KEY_ID, ""));
        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(BOUND).until(() -> lastPollOk(agent));

        fault.apply(h, agent);
        h.aws.state().split(TABLE, 2); // 6 shards: 3 replicas
        int expected = 3;
        await().atMost(BOUND).until(() -> scaledObjectErrors(agent) >= 2);
        assertAll(
                () -> assertFalse(h.log.at(Level.ERROR, logFragment).isEmpty(), "an ERROR line says what failed: " + h.log.lines()),
                () -> assertTrue(h.scaleWrites().stream().allMatch(n -> n == expected), "refused writes carry " + expected + ": " + h.scaleWrites()),
                () -> assertEquals(0, detailErrors(agent), "the probe worked: no scaler error"));

        clear.apply(h, agent);
        await().atMost(BOUND).until(() -> Integer.valueOf(expected).equals(h.replicas()));
        await().atMost(BOUND).until(() -> lastPollOk(agent));
        assertTrue(h.scaleWrites().stream().allMatch(n -> n == expected), "every write carries " + expected + ": " + h.scaleWrites());
    }
}
