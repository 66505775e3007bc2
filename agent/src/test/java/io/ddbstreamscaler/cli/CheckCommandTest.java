package io.ddbstreamscaler.cli;

import io.ddbstreamscaler.schedule.TriggerOutcome;
import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ProbeException.Kind;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.IdentityOwner;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check}'s rules without AWS: the exit code, and how one trigger is evaluated (with a recording counter). */
class CheckCommandTest {

    static final URI OVERRIDE = URI.create("http://127.0.0.1:4566");
    static final URI OWN = URI.create("http://dynamodb.local:8000");
    static final ShardReading FOUR = new ShardReading("arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/x",
            "ENABLED", 4, 3, 1, 2, 1_000);

    static Stream<Arguments> exitRows() {
        return Stream.of(
                // name, config errors, failed triggers, exit code
                Arguments.of("every trigger evaluated", 0, 0, 0),
                Arguments.of("a trigger failed", 0, 2, 1),
                Arguments.of("invalid configuration", 1, 0, 2),
                Arguments.of("invalid configuration wins over a failed trigger", 1, 3, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exitRows")
    void exitCode(String name, int configErrors, int failedTriggers, int expected) {
        assertEquals(expected, CheckCommand.exitCode(configErrors, failedTriggers));
    }

    /** Records what it was asked to count and answers as its row says. */
    static final class RecordingCounter implements ShardCounter {
        final List<TriggerConfig> counted = new ArrayList<>();
        final Function<TriggerConfig, ShardReading> answer;

        RecordingCounter(Function<TriggerConfig, ShardReading> answer) {
            this.answer = answer;
        }

        @Override
        public ShardReading count(TriggerConfig trigger) {
            counted.add(trigger);
            return answer.apply(trigger);
        }
    }

    static TriggerConfig trigger(URI endpoint, List<String> unresolvedSecrets) {
        AwsAuth auth = new AwsAuth(AwsAuth.Method.ROLE, "arn:aws:iam::123456789012:role/r", null, null, null, null,
                unresolvedSecrets);
        return new TriggerConfig(0, "aws-dynamodb-stream", null, MetricType.AVERAGE_VALUE, "t", "eu-west-1", endpoint,
                2, 0, IdentityOwner.POD, true, "s0-aws-dynamodb-streams-t", auth);
    }

    static Function<TriggerConfig, ShardReading> throwing(RuntimeException e) {
        return t -> {
            throw e;
        };
    }

    static Stream<Arguments> evaluateRows() {
        Function<TriggerConfig, ShardReading> four = t -> FOUR;
        return Stream.of(
                // name, trigger's awsEndpoint, unresolved Secrets, --aws-endpoint, counter's answer,
                // endpoints the counter saw, error kind, error fragment, awsCalls
                Arguments.of("no endpoint anywhere: the SDK resolves AWS_ENDPOINT_URL itself", null, List.of(), null,
                        four, List.of("null"), null, null, 2),
                Arguments.of("--aws-endpoint fills a trigger without one", null, List.of(), OVERRIDE, four,
                        List.of(OVERRIDE.toString()), null, null, 2),
                Arguments.of("the trigger's own awsEndpoint wins", OWN, List.of(), OVERRIDE, four,
                        List.of(OWN.toString()), null, null, 2),
                Arguments.of("a Secret only in the cluster: named, never probed", null, List.of("keda-test/s"), OVERRIDE,
                        four, List.of(), Kind.INVALID_CONFIG, "Secret keda-test/s is not in the given files and check"
                                + " never reads the cluster: add the Secret's manifest with -f", 0),
                Arguments.of("two such Secrets named together", null, List.of("keda-test/a", "keda-test/b"), null, four,
                        List.of(), Kind.INVALID_CONFIG, "Secrets keda-test/a, keda-test/b are not in the given files", 0),
                Arguments.of("a probe failure is kept with its calls", null, List.of(), null,
                        throwing(new ProbeException(Kind.THROTTLED, "throttled after 4 attempts", 5, null)),
                        List.of("null"), Kind.THROTTLED, "throttled after 4 attempts", 5),
                Arguments.of("an unexpected failure is this trigger's, without its message", null, List.of(), null,
                        throwing(new IllegalStateException("detail that may carry anything")), List.of("null"),
                        Kind.UNAVAILABLE, "unexpected probe failure: IllegalStateException", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evaluateRows")
    void evaluatesOneTrigger(String name, URI own, List<String> secrets, URI override,
                             Function<TriggerConfig, ShardReading> answer, List<String> seenEndpoints, Kind kind,
                             String error, int awsCalls) {
        RecordingCounter counter = new RecordingCounter(answer);
        TriggerConfig trigger = trigger(own, secrets);

        TriggerOutcome outcome = CheckCommand.evaluate(counter, trigger, override);

        assertAll(
                () -> assertEquals(seenEndpoints, counter.counted.stream().map(t -> String.valueOf(t.awsEndpoint())).toList()),
                () -> assertEquals(trigger, outcome.trigger(), "the outcome keeps the trigger as configured"),
                () -> assertEquals(kind, outcome.failed() ? outcome.error().kind() : null),
                () -> {
                    if (error == null) {
                        assertNull(outcome.error());
                        assertEquals(FOUR, outcome.reading());
                    } else {
                        assertTrue(outcome.error().getMessage().contains(error), outcome.error().getMessage());
                        assertFalse(outcome.error().getMessage().contains("detail"), outcome.error().getMessage());
                    }
                },
                () -> assertEquals(awsCalls, outcome.failed() ? outcome.error().awsCalls() : outcome.reading().awsCalls()));
    }
}
