package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.ScaleException;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.PollTest;
import io.ddbstreamscaler.schedule.TriggerOutcome;
import io.ddbstreamscaler.schedule.WriteStatus;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The scale stage, the one write path: every kind goes through the scale port; the outcome, never an exception, goes
 * on the poll it passes on (and on the exchange, for the poll's completion); a write is counted and logged once.
 */
class ScaleStageTest {

    static final ScaleTargetRef STATEFUL_SET = new ScaleTargetRef("apps/v1", "StatefulSet", "readers");
    static final ScaleTargetRef ROLLOUT = new ScaleTargetRef("argoproj.io/v1alpha1", "Rollout", "web");

    /** Records every write; answers as {@code answer} says. */
    static final class RecordingScaleTarget implements ScaleTarget {
        final List<String> writes = new ArrayList<>();
        final Function<Integer, ScaleResult> answer;

        RecordingScaleTarget(Function<Integer, ScaleResult> answer) {
            this.answer = answer;
        }

        @Override
        public int currentReplicas(String namespace, ScaleTargetRef ref) {
            return 1;
        }

        @Override
        public ScaleResult scale(String namespace, ScaleTargetRef ref, int desiredReplicas) {
            writes.add(namespace + "/" + ref.kind() + "/" + ref.name() + "=" + desiredReplicas);
            return answer.apply(desiredReplicas);
        }
    }

    static final Function<Integer, ScaleTarget.ScaleResult> ACCEPTS = to -> new ScaleTarget.ScaleResult(1, to, true, 1);
    static final Function<Integer, ScaleTarget.ScaleResult> FORBIDS = to -> {
        throw new ScaleException(ScaleException.Kind.FORBIDDEN, "update statefulsets/scale shop/readers was forbidden", null);
    };
    static final Function<Integer, ScaleTarget.ScaleResult> ALREADY_THERE = to -> new ScaleTarget.ScaleResult(to, to, false, 1);

    static Stream<Arguments> writes() {
        return Stream.of(
                // name, target, current -> desired, dry run, holds the Lease, the port's answer,
                // the writes the port saw, the write status, the poll says the Lease moved, "success" and "failure" writes counted
                arguments("a Deployment goes through the scale port", PollTest.DEPLOYMENT, 1, 3, false, true, ACCEPTS,
                        List.of("shop/Deployment/consumer=3"), WriteStatus.WRITTEN, false, 1, 0),
                arguments("a StatefulSet too", STATEFUL_SET, 4, 2, false, true, ACCEPTS,
                        List.of("shop/StatefulSet/readers=2"), WriteStatus.WRITTEN, false, 1, 0),
                arguments("and any kind with /scale", ROLLOUT, 1, 5, false, true, ACCEPTS,
                        List.of("shop/Rollout/web=5"), WriteStatus.WRITTEN, false, 1, 0),
                arguments("no change: no write", PollTest.DEPLOYMENT, 3, 3, false, true, ACCEPTS,
                        List.of(), WriteStatus.NOT_DUE, false, 0, 0),
                arguments("a dry run never writes", STATEFUL_SET, 1, 3, true, true, ACCEPTS,
                        List.of(), WriteStatus.NOT_DUE, false, 0, 0),
                arguments("the Lease moved: no write", PollTest.DEPLOYMENT, 1, 3, false, false, ACCEPTS,
                        List.of(), WriteStatus.NOT_DUE, true, 0, 0),
                arguments("refused: the failure goes on the poll", STATEFUL_SET, 1, 3, false, true, FORBIDS,
                        List.of("shop/StatefulSet/readers=3"), WriteStatus.failed("forbidden"), false, 0, 1),
                arguments("the target already has the count: nothing written", PollTest.DEPLOYMENT, 1, 3, false, true,
                        ALREADY_THERE, List.of("shop/Deployment/consumer=3"), WriteStatus.NOT_DUE, false, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void theWriteAndWhatBecameOfIt(String name, ScaleTargetRef target, int current, int desired, boolean dryRun,
                                   boolean holdsLease, Function<Integer, ScaleTarget.ScaleResult> answer,
                                   List<String> expectedWrites, WriteStatus expected, boolean leaseMoved,
                                   int successes, int failures) {
        RecordingScaleTarget port = new RecordingScaleTarget(answer);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScaleStage stage = new ScaleStage(port, config -> holdsLease, new ScalerMetrics(registry));
        var trigger = PollTest.trigger("orders", true);
        Poll poll = new Poll(PollTest.config(target, trigger), List.of(TriggerOutcome.of(trigger, PollTest.SIX_SHARDS)),
                PollTest.decision(current, desired), dryRun, System.nanoTime());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());

        Poll written = stage.write(poll, exchange);

        assertAll(
                () -> assertEquals(expectedWrites, port.writes),
                () -> assertEquals(expected, written.write()),
                () -> assertEquals(leaseMoved, written.leaseLost()),
                () -> assertSame(written, PollCompletion.carried(exchange), "the completion commits this poll"),
                () -> assertEquals(successes, writes(registry, "success")),
                () -> assertEquals(failures, writes(registry, "failure")));
    }

    private static double writes(SimpleMeterRegistry registry, String outcome) {
        return registry.find("ddbstream.scaler.scale.writes").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
