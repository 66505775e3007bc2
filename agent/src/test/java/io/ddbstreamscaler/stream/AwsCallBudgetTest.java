package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static io.ddbstreamscaler.stream.Triggers.keys;
import static io.ddbstreamscaler.stream.Triggers.role;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AwsCallBudgetTest {

    static Stream<Arguments> sharing() {
        return Stream.of(
                // name, first trigger, second trigger, wait of the second's first call at 1/s burst 1 (ms)
                Arguments.of("same access key shares one budget",
                        trigger("a", keys("AKIDONE", "s1", null)), trigger("b", keys("AKIDONE", "s1", null)), 1000L),
                Arguments.of("other access key has its own",
                        trigger("a", keys("AKIDONE", "s1", null)), trigger("b", keys("AKIDTWO", "s2", null)), 0L),
                Arguments.of("two roles of one account share it",
                        trigger("a", role("arn:aws:iam::111111111111:role/x")),
                        trigger("b", role("arn:aws:iam::111111111111:role/y")), 1000L),
                Arguments.of("roles of two accounts do not",
                        trigger("a", role("arn:aws:iam::111111111111:role/x")),
                        trigger("b", role("arn:aws:iam::222222222222:role/x")), 0L),
                Arguments.of("ambient triggers share one",
                        trigger("a", AwsAuth.operator()), trigger("b", AwsAuth.operator()), 1000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharing")
    void oneBucketPerAccountAndRegion(String name, TriggerConfig first, TriggerConfig second, long waitMs) {
        AwsCallBudget budget = new AwsCallBudget(1, 1, new ManualClock());

        budget.reserve(AwsShardCounter.budgetKey(first));
        Duration wait = budget.reserve(AwsShardCounter.budgetKey(second));

        assertEquals(waitMs, wait.toMillis());
    }

    static TriggerConfig trigger(String table, AwsAuth auth) {
        return Triggers.trigger(table, null, auth, true);
    }
}
