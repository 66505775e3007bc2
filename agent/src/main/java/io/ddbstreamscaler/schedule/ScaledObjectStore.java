package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.policy.PolicyHistory;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ScaledObjects the agent runs, each with the policy's history. Routes carry only the ScaledObject's id; the
 * stages look its state up here, so a route reload never loses a stabilization window. The trigger reconciler adds and
 * removes ScaledObjects; a poll's results are written by one step only, {@link PollCommit}, after its sinks.
 */
public final class ScaledObjectStore {

    /** One ScaledObject's live state. Only its poll's completion writes it (the schedule runs one poll at a time). */
    public static final class Entry {
        private volatile ScaledObjectConfig config;
        private volatile PolicyHistory history = PolicyHistory.empty();
        private volatile ScaleDecision lastDecision;
        private volatile List<TriggerOutcome> lastOutcomes = List.of();
        private volatile Instant lastPoll;
        private volatile Instant lastReading;
        private volatile boolean lastPollFailed;
        private volatile String lastError;
        private volatile long polls;
        private final Instant loadedAt;

        Entry(ScaledObjectConfig config, Instant loadedAt) {
            this.config = config;
            this.loadedAt = loadedAt;
        }

        public ScaledObjectConfig config() {
            return config;
        }

        public PolicyHistory history() {
            return history;
        }

        public ScaleDecision lastDecision() {
            return lastDecision;
        }

        /** The last poll's reading or failure per trigger; empty before the first poll. */
        public List<TriggerOutcome> lastOutcomes() {
            return lastOutcomes;
        }

        public Instant lastPoll() {
            return lastPoll;
        }

        /** When every trigger last got a reading; null before that. */
        public Instant lastReading() {
            return lastReading;
        }

        public Instant loadedAt() {
            return loadedAt;
        }

        public boolean lastPollFailed() {
            return lastPollFailed;
        }

        /** What failed in the last poll (probe, /scale read or write), null when nothing did. */
        public String lastError() {
            return lastError;
        }

        public long polls() {
            return polls;
        }

        /**
         * A poll that got a decision, committed once its sinks are done ({@link PollCommit}). A decision that changes
         * the count records its scale event in the history only when the write succeeded: a failed or skipped write
         * must not shift the HPA's rate-limit windows.
         */
        void committed(Instant at, Poll poll) {
            ScaleDecision decision = poll.decision();
            this.lastDecision = decision;
            boolean scaled = poll.write().state() == WriteStatus.State.WRITTEN;
            this.history = decision.changes() && !scaled ? decision.nextHistory().withScaleEventsOf(history)
                    : decision.nextHistory();
            this.lastOutcomes = poll.outcomes();
            if (!poll.anyTriggerFailed()) {
                this.lastReading = at;
            }
            this.lastError = poll.writeFailed() ? "write failed: " + poll.write().failure()
                    : poll.outcomes().stream().filter(TriggerOutcome::failed).findFirst()
                    .map(o -> "table " + o.trigger().tableName() + ": " + o.error().getMessage()).orElse(null);
            finish(at, poll.anyTriggerFailed() || poll.writeFailed());
        }

        /** A poll that failed before its decision (the /scale read, say), with the message already logged. */
        void failed(Instant at, String error) {
            this.lastError = error;
            finish(at, true);
        }

        private void finish(Instant at, boolean failed) {
            this.lastPoll = at;
            this.lastPollFailed = failed;
            this.polls++;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** Adds or replaces a configuration; an edited ScaledObject keeps its history (as KEDA keeps its HPA's). */
    public Entry put(ScaledObjectConfig config, Instant now) {
        return entries.compute(config.id(), (id, old) -> {
            if (old == null) {
                return new Entry(config, now);
            }
            old.config = config;
            return old;
        });
    }

    public Optional<Entry> get(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    public Entry require(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new IllegalStateException("ScaledObject " + id + " is not loaded (removed from the trigger files?)");
        }
        return e;
    }

    public void remove(String id) {
        entries.remove(id);
    }

    /**
     * AWS calls one count of {@code trigger} will make: a DescribeStream page per 100 shards of its last reading, 1
     * before the first.
     */
    public int expectedCalls(ScaledObjectConfig config, TriggerConfig trigger) {
        return get(config.id()).flatMap(e -> e.lastOutcomes().stream()
                        .filter(o -> o.trigger().index() == trigger.index() && !o.failed()).findFirst())
                .map(o -> Math.max(1, (o.reading().total() + 99) / 100)).orElse(1);
    }

    public Collection<Entry> all() {
        return entries.values();
    }

    public int size() {
        return entries.size();
    }
}
