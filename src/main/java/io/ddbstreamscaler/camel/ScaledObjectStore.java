package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.policy.PolicyHistory;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ScaledObjects the agent runs, each with the policy's history. Routes carry only the ScaledObject's id; the
 * stages look its state up here, so a route reload never loses a stabilization window.
 */
public final class ScaledObjectStore {

    /** One ScaledObject's live state. Only the poll thread of its own route writes it. */
    public static final class Entry {
        private volatile ScaledObjectConfig config;
        private volatile PolicyHistory history = PolicyHistory.empty();
        private volatile ScaleDecision lastDecision;
        private volatile Instant lastPoll;
        private volatile boolean lastPollFailed;
        private volatile long polls;
        private volatile boolean writeFailed;

        Entry(ScaledObjectConfig config) {
            this.config = config;
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

        public Instant lastPoll() {
            return lastPoll;
        }

        public boolean lastPollFailed() {
            return lastPollFailed;
        }

        public long polls() {
            return polls;
        }

        void decided(ScaleDecision decision) {
            this.history = decision.nextHistory();
            this.lastDecision = decision;
        }

        void writeFailed() {
            this.writeFailed = true;
        }

        boolean takeWriteFailed() {
            boolean failed = writeFailed;
            writeFailed = false;
            return failed;
        }

        void polled(Instant at, boolean failed) {
            this.lastPoll = at;
            this.lastPollFailed = failed;
            this.polls++;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** Adds or replaces a configuration; an edited ScaledObject keeps its history (as KEDA keeps its HPA's). */
    public Entry put(ScaledObjectConfig config) {
        return entries.compute(config.id(), (id, old) -> {
            if (old == null) {
                return new Entry(config);
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
