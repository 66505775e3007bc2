package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.TriggerOutcome;

import io.ddbstreamscaler.policy.PolicyHistory;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ScaledObjects the agent runs, each with the policy's history. Routes carry only the ScaledObject's id; the
 * stages look its state up here, so a route reload never loses a stabilization window.
 */
public final class ScaledObjectStore {

    /** One ScaledObject's live state. Only the thread of its running poll writes it (the schedule runs one at a time). */
    public static final class Entry {
        private volatile ScaledObjectConfig config;
        private volatile PolicyHistory history = PolicyHistory.empty();
        /** The decision's history with its scale event, committed only once the write has succeeded. */
        private volatile PolicyHistory pending;
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
         * The policy decided. A decision that changes the count records its scale event only when the write succeeds
         * ({@link #written()}): a failed or skipped write must not shift the HPA's rate-limit windows.
         */
        public void decided(ScaleDecision decision) {
            this.lastDecision = decision;
            if (decision.changes()) {
                this.pending = decision.nextHistory();
                this.history = decision.nextHistory().withScaleEventsOf(history);
            } else {
                this.pending = null;
                this.history = decision.nextHistory();
            }
        }

        /** The scale write of the last decision succeeded: its scale event goes into the history. */
        public void written() {
            if (pending != null) {
                history = pending;
                pending = null;
            }
        }

        /** A poll that got to its sinks. */
        public void polled(Instant at, Poll poll) {
            this.lastOutcomes = poll.outcomes();
            boolean failed = poll.anyTriggerFailed() || poll.writeFailed();
            if (!poll.anyTriggerFailed()) {
                this.lastReading = at;
            }
            this.lastError = poll.writeFailed() ? "write failed: " + poll.write().failure()
                    : poll.outcomes().stream().filter(TriggerOutcome::failed).findFirst()
                    .map(o -> "table " + o.trigger().tableName() + ": " + o.error().getMessage()).orElse(null);
            finish(at, failed);
        }

        /** A poll that failed before its sinks (the /scale read, say), with the message already logged. */
        public void failed(Instant at, String error) {
            this.lastError = error;
            finish(at, true);
        }

        private void finish(Instant at, boolean failed) {
            this.pending = null;
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

    public Collection<Entry> all() {
        return entries.values();
    }

    public int size() {
        return entries.size();
    }
}
