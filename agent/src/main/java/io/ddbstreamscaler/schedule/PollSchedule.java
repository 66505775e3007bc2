package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.stream.AwsCallBudget;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.stream.ShardCounter.Booking;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.function.ToIntBiFunction;

/**
 * The one place that schedules polls, for every ScaledObject of the agent: the dispatch route asks it on every tick
 * which polls start now, and hands them to the scale loop's bounded pool of threads. So the agent's threads do not
 * grow with its ScaledObjects (a Camel timer per ScaledObject cost one thread each: 2,228 threads at 2,000).
 *
 * <p>The rules:
 * <ul>
 *   <li>A batch of ScaledObjects loaded together (the start, a reload, a Lease won) is spread evenly over each one's
 *       pollingInterval: the j-th of k first polls at {@code now + interval × j / k}. One ScaledObject polls at once;
 *       2,000 with the same interval never fire in one burst. Afterwards each keeps its phase, at a fixed rate.</li>
 *   <li>A ScaledObject is never polled twice at once: a poll that overruns its interval skips the slots it missed.</li>
 *   <li>A poll's AWS calls are booked from the shared budget when it falls due ({@link ShardCounter#book}), and the
 *       poll starts only when they are there: waiting for the budget holds no thread. When the budget cannot serve
 *       the demand, the bookings queue in order, so every ScaledObject on that budget is read less often, evenly.</li>
 *   <li>Only ScaledObjects this agent leads are polled ({@code leads}); the others cost nothing but their slot.</li>
 * </ul>
 * Thread-safe; the dispatch route calls {@link #due()}, the poll threads {@link #started} and {@link #finished}.
 */
public final class PollSchedule {

    /**
     * A poll handed out and never started (its exchange was lost before the poll thread took it, say a full queue) is
     * given back to the schedule after this, so that no ScaledObject stops being polled.
     */
    static final Duration LOST_AFTER = Duration.ofMinutes(1);

    /** A booking that is available within this is started at once: the token bucket's own granularity. */
    static final Duration START_NOW = Duration.ofMillis(20);

    /** What the poll thread gets when a poll starts: when it was due, and the calls booked for it. */
    public record Dispatch(String id, Instant scheduledFor, Map<AwsCallBudget.Key, Integer> booked) {
    }

    private enum State { WAITING, BOOKED, RUNNING, DONE }

    private static final class Slot {
        ScaledObjectConfig config;
        Instant dueAt;
        State state = State.WAITING;
        boolean removed;
        /** Bumped on every re-queue, so a stale queue entry of this slot is ignored. */
        long generation;
        Instant bookedFor;
        Map<AwsCallBudget.Key, Integer> booked = Map.of();
        Dispatch dispatch;
        Instant dispatchedAt;
        boolean pollStarted;

        Slot(ScaledObjectConfig config) {
            this.config = config;
        }

        Duration interval() {
            return Duration.ofSeconds(Math.max(1, config.pollingIntervalSeconds()));
        }
    }

    private record Wake(Instant at, long generation, Slot slot) {
    }

    private final Clock clock;
    private final ShardCounter counter;
    private final Predicate<ScaledObjectConfig> leads;
    private final ToIntBiFunction<ScaledObjectConfig, TriggerConfig> expectedCalls;
    private final boolean once;
    private final Map<String, Slot> slots = new HashMap<>();
    private final PriorityQueue<Wake> queue = new PriorityQueue<>(Comparator.comparing(Wake::at));
    /** While held, no poll starts (a route reload waits for the polls in flight to end). */
    private boolean held;

    /**
     * @param leads         whether this agent polls the ScaledObject now (always true without leader election)
     * @param expectedCalls AWS calls one count of a trigger will make: one DescribeStream page per 100 shards last seen
     * @param once          {@code run --once}: one poll each, then nothing
     */
    public PollSchedule(Clock clock, ShardCounter counter, Predicate<ScaledObjectConfig> leads,
                        ToIntBiFunction<ScaledObjectConfig, TriggerConfig> expectedCalls, boolean once) {
        this.clock = clock;
        this.counter = counter;
        this.leads = leads;
        this.expectedCalls = expectedCalls;
        this.once = once;
    }

    /**
     * Adds new ScaledObjects and replaces changed ones. New ones are spread over their interval from now; a changed one
     * keeps its phase, but polls within its new interval when that is shorter.
     */
    public synchronized void place(Collection<ScaledObjectConfig> configs) {
        Instant now = clock.instant();
        List<Slot> fresh = new ArrayList<>();
        for (ScaledObjectConfig config : configs) {
            Slot slot = slots.get(config.id());
            if (slot == null) {
                slot = new Slot(config);
                slots.put(config.id(), slot);
                fresh.add(slot);
            } else {
                slot.config = config;
                Instant latest = now.plus(slot.interval());
                if (slot.state == State.WAITING && slot.dueAt.isAfter(latest)) {
                    slot.dueAt = latest;
                    enqueue(slot, latest);
                }
            }
        }
        spread(fresh, now);
    }

    /** Polls these soon, spread over their intervals: this agent has just won their Leases. */
    public synchronized void pollSoon(Collection<String> ids) {
        Instant now = clock.instant();
        List<Slot> batch = new ArrayList<>();
        for (String id : ids) {
            Slot slot = slots.get(id);
            if (slot != null && slot.state == State.WAITING) {
                batch.add(slot);
            }
        }
        spread(batch, now);
    }

    private void spread(List<Slot> batch, Instant now) {
        // A stable order (by id) so that a restart spreads the same way.
        batch.sort(Comparator.comparing(s -> s.config.id()));
        int k = batch.size();
        for (int j = 0; j < k; j++) {
            Slot slot = batch.get(j);
            slot.dueAt = now.plusNanos(slot.interval().toNanos() / k * j);
            enqueue(slot, slot.dueAt);
        }
    }

    public synchronized void remove(String id) {
        notifyAll();
        Slot slot = slots.remove(id);
        if (slot != null) {
            slot.removed = true;
            if (slot.state == State.BOOKED) {
                counter.refund(slot.booked);
            }
        }
    }

    /** The ScaledObjects whose poll starts now, for the dispatch route; each is marked running until it finishes. */
    public synchronized List<String> due() {
        if (held) {
            return List.of(); // what falls due meanwhile starts on the first tick after release()
        }
        Instant now = clock.instant();
        reclaimLost(now);
        List<String> start = new ArrayList<>();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
            Wake wake = queue.poll();
            Slot slot = wake.slot();
            if (slot.removed || wake.generation() != slot.generation) {
                continue;
            }
            if (slot.state == State.WAITING) {
                if (!leads.test(slot.config)) {
                    // Not ours (now): look again at its next slot; a Lease won brings it forward (pollSoon).
                    slot.dueAt = nextSlot(slot, now);
                    enqueue(slot, slot.dueAt);
                    continue;
                }
                Duration wait = book(slot);
                slot.bookedFor = slot.dueAt;
                if (wait.compareTo(START_NOW) > 0) {
                    slot.state = State.BOOKED;
                    enqueue(slot, now.plus(wait));
                    continue;
                }
            }
            if (slot.state == State.BOOKED || slot.state == State.WAITING) {
                slot.state = State.RUNNING;
                slot.dispatchedAt = now;
                slot.pollStarted = false;
                slot.dispatch = new Dispatch(slot.config.id(), slot.bookedFor, slot.booked);
                slot.booked = Map.of();
                slot.dueAt = nextSlot(slot, now);
                slot.generation++;
                start.add(slot.config.id());
            }
        }
        return start;
    }

    /** The poll of {@code id} starts on this thread: when it was due and what was booked for it. */
    public synchronized Dispatch started(String id) {
        Slot slot = slots.get(id);
        if (slot == null || slot.dispatch == null) {
            return new Dispatch(id, clock.instant(), Map.of());
        }
        slot.pollStarted = true;
        return slot.dispatch;
    }

    private Instant lastSweep = Instant.EPOCH;

    /** Gives back polls handed out {@link #LOST_AFTER} ago that no poll thread ever started; swept every 10 s. */
    private void reclaimLost(Instant now) {
        if (now.isBefore(lastSweep.plusSeconds(10))) {
            return;
        }
        lastSweep = now;
        for (Slot slot : slots.values()) {
            if (slot.state == State.RUNNING && !slot.pollStarted && slot.dispatchedAt != null
                    && !now.isBefore(slot.dispatchedAt.plus(LOST_AFTER))) {
                counter.refund(slot.dispatch == null ? Map.of() : slot.dispatch.booked());
                slot.dispatch = null;
                slot.state = State.WAITING;
                // Overdue by a minute already: poll it now rather than wait for its next slot.
                slot.dueAt = now;
                enqueue(slot, now);
            }
        }
    }

    /** The poll of {@code id} has ended, well or not (its unspent calls were refunded by the poll thread). */
    public synchronized void finished(String id) {
        notifyAll();
        Slot slot = slots.get(id);
        if (slot == null || slot.state != State.RUNNING) {
            return;
        }
        slot.dispatch = null;
        if (once) {
            slot.state = State.DONE;
            return;
        }
        slot.state = State.WAITING;
        Instant now = clock.instant();
        if (!slot.dueAt.isAfter(now)) {
            slot.dueAt = nextSlot(slot, now);
        }
        enqueue(slot, slot.dueAt);
    }

    /** Starts no poll until {@link #release()}: the polls handed out already run to their end. */
    public synchronized void hold() {
        held = true;
    }

    public synchronized void release() {
        held = false;
    }

    /** Polls handed out and not yet finished (running, or waiting in the scale loop's queue). */
    public synchronized int running() {
        return (int) slots.values().stream().filter(s -> s.state == State.RUNNING).count();
    }

    /**
     * Waits until no poll handed out is running (or waiting in the scale loop's queue), at most {@code timeout}.
     *
     * @return true when none is
     */
    public synchronized boolean awaitNoPollRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** ScaledObjects scheduled. */
    public synchronized int size() {
        return slots.size();
    }

    /** The next fixed-rate slot after {@code now}, keeping the phase; missed slots are skipped, not made up in a burst. */
    private static Instant nextSlot(Slot slot, Instant now) {
        long interval = slot.interval().toNanos();
        Instant next = slot.dueAt.plusNanos(interval);
        if (!next.isAfter(now)) {
            long behind = Duration.between(next, now).toNanos();
            next = next.plusNanos((behind / interval + 1) * interval);
        }
        return next;
    }

    private Duration book(Slot slot) {
        Duration wait = Duration.ZERO;
        Map<AwsCallBudget.Key, Integer> booked = new HashMap<>();
        for (TriggerConfig trigger : slot.config.triggers()) {
            Booking b = counter.book(trigger, Math.max(1, expectedCalls.applyAsInt(slot.config, trigger)));
            if (b.key() != null) {
                booked.merge(b.key(), b.calls(), Integer::sum);
            }
            if (b.delay().compareTo(wait) > 0) {
                wait = b.delay();
            }
        }
        slot.booked = booked;
        return wait;
    }

    private void enqueue(Slot slot, Instant at) {
        slot.generation++;
        queue.add(new Wake(at, slot.generation, slot));
    }
}
