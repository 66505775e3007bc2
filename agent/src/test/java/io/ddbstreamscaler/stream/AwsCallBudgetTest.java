package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.simulator.ManualClock;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
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

    static final AwsCallBudget.Key ACCOUNT = new AwsCallBudget.Key("account:111122223333", "eu-west-1");
    static final AwsCallBudget.Key OTHER = new AwsCallBudget.Key("account:444455556666", "eu-west-1");

    @Test
    void bookingSaysWhenTheLastOfItsCallsIsThere() {
        AwsCallBudget budget = new AwsCallBudget(2, 1, new ManualClock());
        assertEquals(Duration.ZERO, budget.book(ACCOUNT, 0), "nothing booked, nothing to wait for");
        assertEquals(Duration.ofMillis(1000), budget.book(ACCOUNT, 3), "the burst, then 2/s: the third at 1 s");
        assertEquals(Duration.ofMillis(1500), budget.reserve(ACCOUNT), "the next call queues behind the booking");
        assertEquals(Duration.ZERO, budget.book(OTHER, 1), "another account has its own bucket");
        assertEquals(2.0, budget.perSecond());
    }

    @Test
    void aRefundGivesBookedCallsBackToTheOthers() {
        AwsCallBudget budget = new AwsCallBudget(1, 4, new ManualClock());
        budget.book(ACCOUNT, 4);
        assertEquals(Duration.ofMillis(1000), budget.reserve(ACCOUNT), "the burst is spent");
        budget.refund(ACCOUNT, 3);
        assertEquals(Duration.ZERO, budget.reserve(ACCOUNT), "three calls given back: one is there at once");
        budget.refund(OTHER, 5); // never booked: nothing to give back, and no bucket made for it
        assertEquals(Duration.ZERO, budget.book(OTHER, 4), "OTHER still has its own full burst of 4");
        assertEquals(Duration.ofMillis(1000), budget.reserve(OTHER), "and not more than the burst");
    }

    @Test
    void callsBookedForThisPollAreTakenFromItsCreditWithoutWaiting() {
        AwsCallBudget budget = new AwsCallBudget(1, 1, new ManualClock());
        budget.reserve(ACCOUNT); // the burst is gone: an uncredited call would wait 1 s
        try (CallCredit credit = CallCredit.open(Map.of(ACCOUNT, 2))) {
            assertEquals(Duration.ZERO, budget.reserve(ACCOUNT));
            assertEquals(Duration.ZERO, budget.reserve(ACCOUNT));
            assertEquals(Map.of(), credit.unspent(), "both booked calls spent");
            assertEquals(Duration.ofMillis(1000), budget.reserve(ACCOUNT), "a third call is booked as usual");
            assertEquals(Duration.ZERO, budget.reserve(OTHER), "OTHER has no credit: its first call is its own burst");
            assertEquals(Duration.ofMillis(1000), budget.reserve(OTHER), "and its second waits");
        }
        assertEquals(Duration.ofMillis(2000), budget.reserve(ACCOUNT), "the credit is closed");
    }
}
