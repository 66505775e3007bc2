package io.ddbstreamscaler.camel;

import ch.qos.logback.classic.Level;
import io.ddbstreamscaler.simulator.aws.Faults;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.ddbstreamscaler.camel.FaultHarness.KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.ROTATED_KEY_ID;
import static io.ddbstreamscaler.camel.FaultHarness.SECRET;
import static io.ddbstreamscaler.camel.FaultHarness.TABLE;
import static io.ddbstreamscaler.camel.FaultHarness.detailErrors;
import static io.ddbstreamscaler.camel.FaultHarness.lastPollOk;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AWS misbehaves under a running agent. For every fault: no write carries a count the shards do not justify (a failed
 * probe holds the count: KEDA's HPA keeps the replicas when a metric fails), the failure is logged and counted in
 * keda_scaler_detail_errors_total, and the agent recovers by itself once the fault clears.
 */
class FaultAwsIT {

    /** A fault or its clearing, applied to the simulators (and, for a Secret rotation, the agent's files). */
    @FunctionalInterface
    interface Step {
        void apply(FaultHarness h, ScalerAgent agent) throws Exception;
    }

    static final Duration LONG = Duration.ofMinutes(10);
    static final Duration BOUND = Duration.ofSeconds(10);

    FaultHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new FaultHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Two open shards split: 6 shards become 2 closed + 8 open = 10 shards, 5 replicas at shardCount 2. */
    static void split(FaultHarness h) {
        h.aws.state().split(TABLE, 2);
    }

    /**
     * The count the suite starts from and the fault must not change: 3 replicas for 6 shards, minReplicaCount 1, and
     * no scale-down stabilization. A failure misread as 0 shards (or as anything but "hold") would scale down to 1
     * on the next poll, so the check that nothing is written during the fault can fail.
     */
    static final String NO_DOWN_WINDOW = """
              advanced:
                horizontalPodAutoscalerConfig:
                  behavior:
                    scaleDown: {stabilizationWindowSeconds: 0}
            """;

    static Stream<Arguments> awsFaults() {
        return Stream.of(
                // name, fault, clearing action (10 shards after it), split 6 -> 10 shards while the fault lasts,
                // the ProbeException kind the log names
                Arguments.of("throttling burst: LimitExceededException on DescribeStream",
                        (Step) (h, a) -> h.aws.faults().failFor("DescribeStream", LONG, 400, "LimitExceededException"),
                        (Step) (h, a) -> h.aws.faults().clear(), true, "THROTTLED"),
                Arguments.of("throttling burst: ThrottlingException on every call",
                        (Step) (h, a) -> h.aws.faults().failFor(Faults.ANY, LONG, 400, "ThrottlingException"),
                        (Step) (h, a) -> h.aws.faults().clear(), true, "THROTTLED"),
                Arguments.of("500 InternalServerError on DescribeStream",
                        (Step) (h, a) -> h.aws.faults().failFor("DescribeStream", LONG, 500, "InternalServerError"),
                        (Step) (h, a) -> h.aws.faults().clear(), true, "UNAVAILABLE"),
                Arguments.of("503 ServiceUnavailable on every call",
                        (Step) (h, a) -> h.aws.faults().failFor(Faults.ANY, LONG, 503, "ServiceUnavailable"),
                        (Step) (h, a) -> h.aws.faults().clear(), true, "UNAVAILABLE"),
                Arguments.of("timeouts: every answer 1.5 s late, the call timeout is 0.7 s",
                        (Step) (h, a) -> h.aws.faults().latency(Duration.ofMillis(1500)),
                        (Step) (h, a) -> h.aws.faults().latency(Duration.ZERO), true, "UNAVAILABLE"),
                Arguments.of("refused connections",
                        (Step) (h, a) -> h.aws.refuseConnections(),
                        (Step) (h, a) -> h.aws.resume(), true, "UNAVAILABLE"),
                Arguments.of("table deleted mid-run, then created again with 10 shards",
                        (Step) (h, a) -> h.aws.state().deleteTable(TABLE),
                        (Step) (h, a) -> h.aws.state().createTable(TABLE, 10), false, "TABLE_NOT_FOUND"),
                Arguments.of("stream disabled, then re-enabled with a new ARN and 10 shards",
                        (Step) (h, a) -> h.aws.state().disableStream(TABLE),
                        (Step) (h, a) -> h.aws.state().enableStream(TABLE, 10), false, "STREAM_NOT_ENABLED"),
                Arguments.of("credentials rejected, then the Secret rotated to a new key",
                        (Step) (h, a) -> h.aws.faults().rejectAccessKey(KEY_ID),
                        (Step) (h, a) -> {
                            h.writeTriggers("so.yaml", h.scaledObject(2, ROTATED_KEY_ID, NO_DOWN_WINDOW));
                            a.checkForChanges();
                        }, true, "INVALID_CREDENTIALS"),
                Arguments.of("access denied, then the IAM policy fixed",
                        (Step) (h, a) -> h.aws.faults().denyAccessKey(KEY_ID),
                        (Step) (h, a) -> h.aws.faults().clear(), true, "ACCESS_DENIED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awsFaults")
    void aFailedProbeHoldsTheCountIsReportedAndRecovers(String name, Step fault, Step clear, boolean splitDuringFault,
                                                        String kind) throws Exception {
        h.aws.state().createTable(TABLE, 6);
        h.createConsumer(3);
        h.writeTriggers("so.yaml", h.scaledObject(2, KEY_ID, NO_DOWN_WINDOW));
        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(BOUND).until(() -> FaultHarness.polls(agent) >= 2 && lastPollOk(agent));
        assertEquals(List.of(), h.scaleWrites(), "3 replicas for 6 shards: nothing to write before the fault");

        fault.apply(h, agent);
        // Split only once a poll has failed: a poll already past its AWS calls must not see the new shards.
        await().atMost(BOUND).until(() -> detailErrors(agent) >= 1);
        if (splitDuringFault) {
            split(h);
        }
        await().atMost(BOUND).until(() -> detailErrors(agent) >= 3);
        assertAll(
                () -> assertFalse(h.log.at(Level.ERROR, "probe failed [" + kind + "]").isEmpty(),
                        "an ERROR decision line names the failure: " + h.log.lines()),
                () -> assertEquals(List.of(), h.scaleWrites(), "a failed probe never moves the count"),
                () -> assertEquals(3, h.replicas()));

        clear.apply(h, agent);
        await().atMost(BOUND).until(() -> Integer.valueOf(5).equals(h.replicas()));
        await().atMost(BOUND).until(() -> lastPollOk(agent));
        assertAll(
                () -> assertEquals(List.of(5), h.scaleWrites(), "one write, of the count the 10 shards justify"),
                () -> h.log.assertNoLeakOf(SECRET));
    }

    /**
     * The probe assumes a role through STS; the role's credentials last 30 s, inside the SDK's 1 min stale time, so
     * every signed call must refresh them first. STS fails: the probe fails (the stale credentials are never used),
     * and once STS answers again new credentials sign the calls.
     */
    @Test
    void stsUnavailableDuringARoleRefreshFailsThePollUntilStsAnswers() throws Exception {
        h.aws.state().createTable(TABLE, 6);
        h.aws.stsSessionDuration(Duration.ofSeconds(30));
        h.createConsumer(3);
        h.writeTriggers("so.yaml", h.roleScaledObject(2, NO_DOWN_WINDOW));
        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(BOUND).until(() -> FaultHarness.polls(agent) >= 2 && lastPollOk(agent));
        String keyBefore = last(h.aws.requests("DescribeStream")).accessKeyId();
        assertTrue(keyBefore.startsWith("ASIA"), "the probe signs with the role's temporary keys: " + keyBefore);

        h.aws.faults().failFor("AssumeRole", LONG, 503, "ServiceUnavailable");
        await().atMost(BOUND).until(() -> detailErrors(agent) >= 1);
        split(h);
        await().atMost(BOUND).until(() -> detailErrors(agent) >= 3);
        assertAll(
                () -> assertTrue(h.aws.requests("AssumeRole").stream().anyMatch(r -> r.status() == 503), "STS was asked"),
                () -> assertFalse(h.log.at(Level.ERROR, "probe failed [UNAVAILABLE]").isEmpty(), h.log.lines().toString()),
                () -> assertEquals(List.of(), h.scaleWrites(), "the failed polls wrote nothing"),
                () -> assertEquals(3, h.replicas()));

        h.aws.faults().clear();
        await().atMost(BOUND).until(() -> Integer.valueOf(5).equals(h.replicas()));
        String keyAfter = last(h.aws.requests("DescribeStream")).accessKeyId();
        assertAll(
                () -> assertEquals(List.of(5), h.scaleWrites()),
                () -> assertTrue(keyAfter.startsWith("ASIA"), keyAfter),
                () -> assertNotEquals(keyBefore, keyAfter, "new credentials from STS sign the calls"),
                () -> h.log.assertNoLeakOf(SECRET));
    }

    /**
     * KEDA's fallback (pkg/fallback/fallback.go): after more than failureThreshold consecutive failures the metric
     * becomes fallback.replicas x target, which the HPA turns into exactly fallback.replicas. A scale-down
     * stabilization window of 0 lets the count return at once when the probe succeeds again.
     */
    @Test
    void fallbackReplicasAreWrittenAfterTheThresholdAndTheCountReturnsOnRecovery() throws Exception {
        h.aws.state().createTable(TABLE, 6);
        h.createConsumer(3);
        h.writeTriggers("so.yaml", h.scaledObject(2, KEY_ID, """
                  fallback: {failureThreshold: 3, replicas: 6}
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown: {stabilizationWindowSeconds: 0}
                """));
        ScalerAgent agent = h.start(h.options(false, null));
        await().atMost(BOUND).until(() -> FaultHarness.polls(agent) >= 2 && lastPollOk(agent));
        assertEquals(List.of(), h.scaleWrites(), "3 replicas for 6 shards: nothing to write");

        h.aws.faults().failFor("DescribeStream", LONG, 500, "InternalServerError");
        await().atMost(BOUND).until(() -> Integer.valueOf(6).equals(h.replicas()));
        // The decision line follows the write (the log sink runs after the scale sink).
        await().atMost(BOUND).until(() -> !h.log.at(Level.ERROR, "reason=Fallback").isEmpty());
        List<String> decisions = h.log.lines().stream().filter(l -> l.logger().equals("io.ddbstreamscaler.decision"))
                .map(FaultHarness.CapturedLog.Line::message).toList();
        int firstFallback = indexOf(decisions, "reason=Fallback");
        long failedBefore = decisions.subList(0, firstFallback).stream().filter(m -> m.contains("probe failed")).count();
        double errorsAtFallback = detailErrors(agent);
        await().atMost(BOUND).until(() -> detailErrors(agent) >= errorsAtFallback + 2);
        assertAll(
                () -> assertEquals(3, failedBefore, "held through failureThreshold failures, fallback on the next"),
                () -> assertEquals(List.of(6), h.scaleWrites(), "fallback.replicas written once, and held"));

        h.aws.faults().clear();
        await().atMost(BOUND).until(() -> Integer.valueOf(3).equals(h.replicas()));
        assertEquals(List.of(6, 3), h.scaleWrites());
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + fragment + ": " + lines);
    }

    private static LoggedRequest last(List<LoggedRequest> requests) {
        return requests.get(requests.size() - 1);
    }
}
