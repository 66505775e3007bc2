package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.TriggerOutcome;
import io.ddbstreamscaler.schedule.WriteStatus;

import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.policy.PolicyHistory;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.policy.ScalingSettings;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.IdentityOwner;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poll the sinks see: when a write is due, the log level, and the one decision line. */
public class PollTest {

    public static TriggerConfig trigger(String table, boolean countClosed) {
        return new TriggerConfig(0, "aws-dynamodb-stream", null, MetricType.AVERAGE_VALUE, table, "eu-west-1", null, 2, 0,
                IdentityOwner.OPERATOR, countClosed, "s0-aws-dynamodb-streams-" + table, AwsAuth.operator());
    }

    public static ScaledObjectConfig config(ScaleTargetRef target, TriggerConfig... triggers) {
        return new ScaledObjectConfig(Path.of("so.yaml"), "shop", "orders", target, 30, ScalingSettings.kedaDefaults(),
                List.of(triggers));
    }

    public static final ScaleTargetRef DEPLOYMENT = new ScaleTargetRef("apps/v1", "Deployment", "consumer");
    public static final ShardReading SIX_SHARDS = new ShardReading("arn", "ENABLED", 6, 4, 2, 1, 1_000_000);
    public static final ProbeException MISSING = new ProbeException(ProbeException.Kind.TABLE_NOT_FOUND,
            "table gone not found in region eu-west-1", 1, null);

    public static ScaleDecision decision(int current, int desired) {
        return new ScaleDecision(desired, current, desired > current ? ScaleDecision.Reason.ScaleUp : ScaleDecision.Reason.NoChange,
                "msg", true, PolicyHistory.empty());
    }

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("a change is written", 1, 3, false, true),
                Arguments.of("no change, no write", 3, 3, false, false),
                Arguments.of("a dry run never writes", 1, 3, true, false));
    }

    @Test
    void aDeposedLeaderDoesNotWriteAndSaysWhy() {
        Poll poll = new Poll(config(DEPLOYMENT, trigger("a", true)), List.of(TriggerOutcome.of(trigger("a", true), SIX_SHARDS)),
                null, false, 0).withDecision(decision(1, 3)).leaseMoved();
        assertFalse(poll.isWriteNeeded());
        assertEquals("WARN", poll.getSeverity());
        assertTrue(poll.getLogLine().contains("the Lease has moved to another agent: not written"), poll.getLogLine());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aWriteIsDueOnlyForARealChange(String name, int current, int desired, boolean dryRun, boolean expected) {
        Poll poll = new Poll(config(DEPLOYMENT, trigger("a", true)), List.of(TriggerOutcome.of(trigger("a", true), SIX_SHARDS)),
                decision(current, desired), dryRun, 0);
        assertEquals(expected, poll.isWriteNeeded());
    }

    static Stream<Arguments> severities() {
        TriggerConfig a = trigger("a", true);
        TriggerConfig b = trigger("b", true);
        return Stream.of(
                Arguments.of("all readings", List.of(TriggerOutcome.of(a, SIX_SHARDS), TriggerOutcome.of(b, SIX_SHARDS)), "INFO"),
                Arguments.of("one of two failed", List.of(TriggerOutcome.of(a, SIX_SHARDS), TriggerOutcome.failed(b, MISSING)), "WARN"),
                Arguments.of("every trigger failed", List.of(TriggerOutcome.failed(a, MISSING)), "ERROR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("severities")
    void theLogLevelSaysHowBadItIs(String name, List<TriggerOutcome> outcomes, String severity) {
        Poll poll = new Poll(config(DEPLOYMENT, trigger("a", true)), outcomes, decision(2, 2), false, 0);
        assertEquals(severity, poll.getSeverity());
    }

    @Test
    void theDecisionLineNamesTableShardsMetricAndTheChange() {
        Poll poll = new Poll(config(DEPLOYMENT, trigger("orders", false)),
                List.of(TriggerOutcome.of(trigger("orders", false), SIX_SHARDS)), decision(1, 2), true, 0);
        String line = poll.getLogLine();
        assertTrue(line.startsWith("ScaledObject shop/orders Deployment/consumer: table orders shards total=6 open=4 metric=4/2;"), line);
        assertTrue(line.contains("replicas 1 -> 2 reason=ScaleUp (dry run: not written)"), line);
    }

    static Stream<Arguments> writeOutcomes() {
        return Stream.of(
                Arguments.of("written", WriteStatus.WRITTEN, "replicas 1 -> 3 reason=ScaleUp (msg)", "INFO"),
                Arguments.of("not written yet (a step before the scale stage)", WriteStatus.PENDING,
                        "replicas 1 -> 3 reason=ScaleUp (not written yet) (msg)", "INFO"),
                Arguments.of("forbidden", WriteStatus.failed("forbidden (403)"),
                        "replicas 1 -> 3 reason=ScaleUp (write failed: forbidden (403), replicas left at 1) (msg)", "ERROR"),
                Arguments.of("API server down", WriteStatus.failed("API server unavailable"),
                        "replicas 1 -> 3 reason=ScaleUp (write failed: API server unavailable, replicas left at 1) (msg)", "ERROR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeOutcomes")
    void theDecisionLineTellsWhatBecameOfTheWrite(String name, WriteStatus outcome, String fragment, String severity) {
        Poll decided = new Poll(config(DEPLOYMENT, trigger("a", true)), List.of(TriggerOutcome.of(trigger("a", true), SIX_SHARDS)),
                null, false, 0).withDecision(decision(1, 3));
        assertTrue(decided.isWriteNeeded());
        Poll poll = decided.withWrite(outcome);
        assertTrue(poll.getLogLine().endsWith(fragment), poll.getLogLine());
        assertEquals(severity, poll.getSeverity());
    }

    @Test
    void aFailedTriggerBecomesAFailedPolicyReading() {
        var reading = TriggerOutcome.failed(trigger("gone", true), MISSING).toPolicyReading();
        assertTrue(reading.failed());
        assertTrue(reading.failure().startsWith("TABLE_NOT_FOUND"));
        assertEquals(4.0, TriggerOutcome.of(trigger("a", false), SIX_SHARDS).toPolicyReading().value(), "open shards only");
    }

    /** What the routes read from a poll by name (routes/sinks.camel.yaml: ${body.namespace}, ${body.targetKind}, …). */
    @Test
    void theRoutesReadTheTargetAndTheCountsFromThePoll() {
        Poll poll = new Poll(config(DEPLOYMENT, trigger("a", true)), List.of(TriggerOutcome.of(trigger("a", true), SIX_SHARDS)),
                decision(2, 5), false, 0);
        assertEquals(List.of("shop", DEPLOYMENT, "Deployment", "consumer"), List.of(poll.getNamespace(), poll.getTarget(),
                poll.getTargetKind(), poll.getTargetName()));
        assertEquals(List.of(5, 2), List.of(poll.getDesiredReplicas(), poll.getCurrentReplicas()));
    }
}
