package io.ddbstreamscaler.schedule;


import io.ddbstreamscaler.policy.ScalingSettings;
import io.ddbstreamscaler.stream.AwsCallBudget;
import io.ddbstreamscaler.simulator.ManualClock;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one schedule of every poll, driven by a hand-moved clock: spreading, fixed rate, leadership and the budget. */
class PollScheduleTest {

    final ManualClock clock = new ManualClock();
    final Set<String> notLed = new HashSet<>();
    /** A budget of its own, per table: the real token bucket on the hand-moved clock. */
    final AwsCallBudget budget = new AwsCallBudget(2, 1, clock);

    /** Books from {@link #budget} (key = table), counts nothing: the schedule alone is under test. */
    final ShardCounter counter = new ShardCounter() {
        @Override
        public ShardReading count(TriggerConfig trigger) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Booking book(TriggerConfig trigger, int calls) {
            var key = new AwsCallBudget.Key(trigger.tableName(), "eu-west-1");
            return new Booking(key, calls, budget.book(key, calls));
        }
    };

    PollSchedule schedule(boolean once) {
        return new PollSchedule(clock, counter, c -> !notLed.contains(c.id()), (c, t) -> 1, once);
    }

    static ScaledObjectConfig so(String name, int interval, String table) {
        TriggerConfig t = PollTest.trigger(table, true);
        return new ScaledObjectConfig(Path.of("so.yaml"), "shop", name, PollTest.DEPLOYMENT, interval,
                ScalingSettings.kedaDefaults(), List.of(t));
    }

    /** Moves the clock in steps of {@code step} for {@code total}, finishing each poll at once; the start times by id. */
    Map<String, List<Duration>> run(PollSchedule s, Duration total, Duration step) {
        Instant start = clock.instant();
        Map<String, List<Duration>> starts = new HashMap<>();
        for (long t = 0; t <= total.toMillis(); t += step.toMillis()) {
            for (String id : s.due()) {
                starts.computeIfAbsent(id, k -> new ArrayList<>()).add(Duration.between(start, clock.instant()));
                s.started(id);
                s.finished(id);
            }
            clock.advance(step);
        }
        return starts;
    }

    @Test
    void oneScaledObjectPollsAtOnceThenEveryInterval() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 5, "t-a")));
        var starts = run(s, Duration.ofSeconds(16), Duration.ofMillis(100));
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15)),
                starts.get("shop/a"));
    }

    static Stream<Arguments> fleets() {
        return Stream.of(
                Arguments.of("10 at 30 s", 10, 30),
                Arguments.of("200 at 30 s", 200, 30),
                Arguments.of("2,000 at 30 s", 2000, 30),
                Arguments.of("50 at 5 s", 50, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fleets")
    void aBatchIsSpreadEvenlyOverTheInterval(String name, int n, int interval) {
        PollSchedule s = schedule(false);
        // A table each: the budget never binds here.
        s.place(IntStream.range(0, n).mapToObj(i -> so("so-" + i, interval, "t-" + i)).toList());
        var starts = run(s, Duration.ofSeconds(interval), Duration.ofMillis(100));
        assertEquals(n, starts.size(), "every ScaledObject polls once within its first interval");
        // No 100 ms tick starts more than its share of the interval (+1 for rounding): no burst.
        Map<Duration, Integer> perTick = new HashMap<>();
        starts.values().forEach(l -> l.forEach(d -> perTick.merge(d, 1, Integer::sum)));
        int share = (int) Math.ceil(n / (interval * 10.0)) + 1;
        assertTrue(perTick.values().stream().allMatch(c -> c <= share), "at most " + share + " per tick: " + perTick);
    }

    @Test
    void aRunningPollIsNeverStartedAgainAndMissedSlotsAreSkipped() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("slow", 2, "t")));
        assertEquals(List.of("shop/slow"), s.due());
        s.started("shop/slow");
        clock.advance(Duration.ofSeconds(7)); // the poll overruns three slots
        assertEquals(List.of(), s.due(), "still running: not started twice");
        s.finished("shop/slow");
        assertEquals(List.of(), s.due(), "the missed slots are not made up in a burst");
        clock.advance(Duration.ofSeconds(1)); // the next slot of its phase: 8 s
        assertEquals(List.of("shop/slow"), s.due());
    }

    @Test
    void aScaledObjectAnotherAgentLeadsIsNotPolledUntilWon() {
        PollSchedule s = schedule(false);
        notLed.add("shop/b");
        s.place(List.of(so("a", 10, "t-a"), so("b", 10, "t-b")));
        var starts = run(s, Duration.ofSeconds(25), Duration.ofMillis(100));
        assertEquals(3, starts.get("shop/a").size());
        assertEquals(null, starts.get("shop/b"), "not led: never polled");
        notLed.clear();
        s.pollSoon(List.of("shop/b"));
        assertEquals(List.of("shop/b"), s.due(), "a Lease won polls at once");
    }

    @Test
    void waitingForTheBudgetHoldsNoThreadAndServesEveryoneInTurn() {
        // Ten ScaledObjects on one table's budget of 2 calls/s, each asking 1 call per second: demand 10/s.
        PollSchedule s = schedule(false);
        s.place(IntStream.range(0, 10).mapToObj(i -> so("so-" + i, 1, "shared")).toList());
        var starts = run(s, Duration.ofSeconds(60), Duration.ofMillis(50));
        int total = starts.values().stream().mapToInt(List::size).sum();
        // The budget allows 2/s, 121 in 60 s with the first token; the schedule starts at most that, never more.
        assertTrue(total <= 2 * 60 + 1, "no poll starts before its calls are there: " + total);
        assertTrue(total >= 2 * 60 - 10, "the budget is used: " + total);
        // Evenly: every ScaledObject gets its turn, within one poll of the others.
        int min = starts.values().stream().mapToInt(List::size).min().orElse(0);
        int max = starts.values().stream().mapToInt(List::size).max().orElse(0);
        assertEquals(10, starts.size());
        assertTrue(max - min <= 1, "even: " + min + ".." + max);
    }

    @Test
    void onceMeansOnePollEach() {
        PollSchedule s = schedule(true);
        s.place(List.of(so("a", 1, "t-a"), so("b", 1, "t-b")));
        var starts = run(s, Duration.ofSeconds(5), Duration.ofMillis(100));
        assertEquals(1, starts.get("shop/a").size());
        assertEquals(1, starts.get("shop/b").size());
    }

    @Test
    void aRemovedScaledObjectIsNoLongerPolled() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 1, "t-a")));
        run(s, Duration.ofSeconds(1), Duration.ofMillis(100));
        s.remove("shop/a");
        assertEquals(Map.of(), run(s, Duration.ofSeconds(5), Duration.ofMillis(100)));
        assertEquals(0, s.size());
    }

    @Test
    void aShorterIntervalAfterAnEditTakesEffectWithinTheNewInterval() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 60, "t-a")));
        run(s, Duration.ofSeconds(1), Duration.ofMillis(100));
        s.place(List.of(so("a", 2, "t-a")));
        var starts = run(s, Duration.ofSeconds(3), Duration.ofMillis(100));
        assertTrue(starts.containsKey("shop/a"), "polled within the new 2 s interval, not after 60 s");
    }

    @Test
    void theStartedPollKnowsWhenItWasDue() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 5, "t-a")));
        Instant due = clock.instant();
        assertEquals(List.of("shop/a"), s.due());
        clock.advance(Duration.ofMillis(300)); // queued behind other polls
        var dispatch = s.started("shop/a");
        assertEquals(due, dispatch.scheduledFor());
        assertEquals(1, dispatch.booked().values().stream().mapToInt(Integer::intValue).sum(), "its call was booked");
    }

    @Test
    void aPollHandedOutButNeverStartedIsGivenBack() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 5, "t-a")));
        assertEquals(List.of("shop/a"), s.due()); // handed out, then lost: no poll thread ever starts it
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), s.due(), "still taken to be running");
        clock.advance(PollSchedule.LOST_AFTER);
        assertEquals(List.of("shop/a"), s.due(), "given back and polled again");
    }

    /**
     * README: "A reload of one ScaledObject changes its slot only". Five ScaledObjects spread over 10 s; the reload
     * re-places all five with one of them edited (the agent places only what changed, but the schedule must not move
     * the others either way): the others keep polling at the phase they had, the edited one polls within its new
     * interval.
     */
    @Test
    void aReloadOfOneOfFiveChangesItsSlotOnly() {
        PollSchedule s = schedule(false);
        List<ScaledObjectConfig> five = IntStream.range(0, 5).mapToObj(i -> so("so-" + i, 10, "t-" + i)).toList();
        s.place(five);
        // Spread over 10 s: so-0 at 0 s, so-1 at 2 s, ... so-4 at 8 s, then every 10 s.
        var before = run(s, Duration.ofMillis(12_900), Duration.ofMillis(100));
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(10)), before.get("shop/so-0"));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(12)), before.get("shop/so-1"));
        assertEquals(List.of(Duration.ofSeconds(8)), before.get("shop/so-4"));

        // At 13 s: so-2 is edited (10 s -> 3 s), the others are placed again unchanged.
        List<ScaledObjectConfig> reloaded = new ArrayList<>(five);
        reloaded.set(2, so("so-2", 3, "t-2"));
        s.place(reloaded);
        var after = run(s, Duration.ofMillis(19_900), Duration.ofMillis(100));
        // Times from 13 s on: so-0 kept its phase (20 s, 30 s), so-1 (22 s, 32 s), so-3 (16 s, 26 s), so-4 (18 s, 28 s).
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(17)), after.get("shop/so-0"));
        assertEquals(List.of(Duration.ofSeconds(9), Duration.ofSeconds(19)), after.get("shop/so-1"));
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(13)), after.get("shop/so-3"));
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(15)), after.get("shop/so-4"));
        // so-2 was due at 14 s (phase 4 s): the shorter interval pulls it to 13 s + 3 s at the latest = 14 s stays;
        // then every 3 s from there.
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(7), Duration.ofSeconds(10),
                Duration.ofSeconds(13), Duration.ofSeconds(16), Duration.ofSeconds(19)), after.get("shop/so-2"));
    }

    /** A counter that books with a fixed delay and records what is refunded: the booking state alone under test. */
    static final class DelayedCounter implements ShardCounter {
        Duration delay = Duration.ZERO;
        final List<Map<AwsCallBudget.Key, Integer>> refunds = new ArrayList<>();

        @Override
        public ShardReading count(TriggerConfig trigger) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Booking book(TriggerConfig trigger, int calls) {
            return new Booking(new AwsCallBudget.Key(trigger.tableName(), "eu-west-1"), calls, delay);
        }

        @Override
        public void refund(Map<AwsCallBudget.Key, Integer> unspent) {
            refunds.add(Map.copyOf(unspent));
        }
    }

    PollSchedule schedule(DelayedCounter c) {
        return new PollSchedule(clock, c, x -> true, (cfg, t) -> 3, false);
    }

    @Test
    void aBookingReadyWithinTwentyMillisecondsStartsAtOnce() {
        DelayedCounter c = new DelayedCounter();
        c.delay = PollSchedule.START_NOW;
        PollSchedule s = schedule(c);
        s.place(List.of(so("a", 5, "t-a")));
        assertEquals(List.of("shop/a"), s.due(), "20 ms is the bucket's own granularity: now");

        c.delay = PollSchedule.START_NOW.plusMillis(1);
        PollSchedule later = schedule(c);
        later.place(List.of(so("b", 5, "t-b")));
        assertEquals(List.of(), later.due(), "21 ms: booked, and started when the calls are there");
        clock.advance(Duration.ofMillis(20));
        assertEquals(List.of(), later.due());
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("shop/b"), later.due());
        assertEquals(Map.of(new AwsCallBudget.Key("t-b", "eu-west-1"), 3), later.started("shop/b").booked(),
                "the calls booked for it go with the poll");
    }

    @Test
    void aRemovedScaledObjectGivesBackWhatItHadBooked() {
        DelayedCounter c = new DelayedCounter();
        c.delay = Duration.ofSeconds(2);
        PollSchedule s = schedule(c);
        s.place(List.of(so("a", 5, "t-a"), so("b", 5, "t-b")));
        assertEquals(List.of(), s.due(), "both waiting for their calls");
        s.remove("shop/a");
        assertEquals(List.of(Map.of(new AwsCallBudget.Key("t-a", "eu-west-1"), 3)), c.refunds);
        s.remove("shop/nobody");
        assertEquals(1, c.refunds.size(), "nothing to give back for an id never placed");
        assertEquals(1, s.size());
    }

    @Test
    void aPollNeverStartedIsGivenBackAfterExactlyAMinuteWithItsCalls() {
        DelayedCounter c = new DelayedCounter();
        PollSchedule s = schedule(c);
        s.place(List.of(so("a", 300, "t-a")));
        assertEquals(List.of("shop/a"), s.due());
        clock.advance(PollSchedule.LOST_AFTER.minusMillis(1));
        assertEquals(List.of(), s.due(), "59.999 s: still taken to be on its way");
        clock.advance(Duration.ofSeconds(5)); // 64.999 s: lost, but the sweeps run every 10 s (the last at 59.999 s)
        assertEquals(List.of(), s.due(), "not swept yet");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("shop/a"), s.due(), "given back and polled at once, not at its next slot");
        assertEquals(List.of(Map.of(new AwsCallBudget.Key("t-a", "eu-west-1"), 3)), c.refunds);
    }

    @Test
    void aStartedPollIsNeverGivenBack() {
        PollSchedule s = schedule(new DelayedCounter());
        s.place(List.of(so("a", 300, "t-a")));
        assertEquals(List.of("shop/a"), s.due());
        s.started("shop/a");
        clock.advance(Duration.ofMinutes(3));
        assertEquals(List.of(), s.due(), "running for 3 min, but running: never twice");
    }

    @Test
    void startedWithoutADispatchSaysNowAndNothingBooked() {
        PollSchedule s = schedule(new DelayedCounter());
        PollSchedule.Dispatch d = s.started("shop/unknown");
        assertEquals(new PollSchedule.Dispatch("shop/unknown", clock.instant(), Map.of()), d);
        s.finished("shop/unknown"); // nothing to finish: no effect
        assertEquals(0, s.size());
    }

    @Test
    void aPollingIntervalBelowOneSecondIsOneSecond() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 0, "t-a")));
        var starts = run(s, Duration.ofMillis(3500), Duration.ofMillis(100));
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)),
                starts.get("shop/a"));
    }

    @Test
    void pollSoonBringsForwardOnlyWhatWaits() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 30, "t-a"), so("b", 30, "t-b")));
        assertEquals(List.of("shop/a"), s.due(), "a at once, b in 15 s");
        s.pollSoon(List.of("shop/a", "shop/b", "shop/unknown")); // a is running: left alone
        assertEquals(List.of("shop/b"), s.due(), "b brought forward to now");
        for (String id : List.of("shop/a", "shop/b")) {
            s.started(id);
            s.finished(id);
        }
        assertEquals(List.of(), s.due(), "a keeps its slot: 30 s after its start");
        clock.advance(Duration.ofSeconds(15));
        assertEquals(List.of(), s.due(), "b's old slot at 15 s went with pollSoon");
        clock.advance(Duration.ofSeconds(15));
        assertEquals(List.of("shop/a", "shop/b"), s.due().stream().sorted().toList());
    }

    @Test
    void aPollThatEndsExactlyAtItsNextSlotIsNotStartedAgainAtOnce() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("a", 2, "t-a")));
        assertEquals(List.of("shop/a"), s.due());
        s.started("shop/a");
        clock.advance(Duration.ofSeconds(2)); // ends at its next slot: that slot is missed, the one after is kept
        s.finished("shop/a");
        assertEquals(List.of(), s.due());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("shop/a"), s.due());
    }

    @Test
    void aBatchIsSpreadInTheOrderOfItsIdsWhateverTheOrderGiven() {
        PollSchedule s = schedule(false);
        s.place(List.of(so("b", 10, "t-b"), so("a", 10, "t-a")));
        var starts = run(s, Duration.ofMillis(9900), Duration.ofMillis(100));
        assertEquals(List.of(Duration.ZERO), starts.get("shop/a"));
        assertEquals(List.of(Duration.ofSeconds(5)), starts.get("shop/b"));
    }

    @Test
    void aScaledObjectThatBecomesOursIsPolledAtItsNextSlotEvenWithoutPollSoon() {
        PollSchedule s = schedule(false);
        notLed.add("shop/a");
        s.place(List.of(so("a", 10, "t-a")));
        assertEquals(null, run(s, Duration.ofSeconds(15), Duration.ofMillis(100)).get("shop/a"));
        notLed.clear();
        var starts = run(s, Duration.ofSeconds(10), Duration.ofMillis(100));
        assertEquals(List.of(Duration.ofMillis(4900)), starts.get("shop/a"), "its slot at 20 s, 15.1 s into the run");
    }
}
