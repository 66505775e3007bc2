package io.ddbstreamscaler.external;

import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.KclLeaseTable;
import io.ddbstreamscaler.trigger.TriggerConfig;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One shard reading per (table, region, endpoint, identity), no older than {@code freshness}; a request that finds no
 * fresh reading either starts the one AWS count or waits for the count already under way (single flight). KEDA asks
 * for every ScaledObject from its operator and its metrics server: without this, N ScaledObjects on a table cost N
 * DescribeStream rounds per poll.
 * <p>
 * A failure answers the requests that waited for it and is not kept: the next request counts again (the shared AWS
 * call budget in the counter is what holds back a caller that keeps asking about a failing table).
 */
final class ReadingCache {

    /**
     * Identity is part of the key: the same table name under two accounts is two tables. So is the KCL lease table: a
     * lease-aware reading is another count than KEDA's of the same stream.
     */
    record Key(String tableName, String region, URI endpoint, AwsAuth auth, KclLeaseTable kclLeaseTable) {
        static Key of(TriggerConfig t) {
            return new Key(t.tableName(), t.awsRegion(), t.awsEndpoint(), t.auth(), t.kclLeaseTable());
        }
    }

    /** A reading and the clock instant it was taken at. */
    record Reading(ShardReading shards, Instant takenAt) {
    }

    /** How a request was answered: {@code miss} when it started an AWS count, else {@code hit}. */
    record Answer(CompletableFuture<Reading> reading, boolean hit) {
    }

    private static final class Entry {
        Reading fresh;
        CompletableFuture<Reading> inFlight;
    }

    private final ShardCounter counter;
    private final Duration freshness;
    private final Clock clock;
    private final Executor probes;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong gets = new java.util.concurrent.atomic.AtomicLong();

    /** A reading nobody asked for in this many freshness intervals is dropped: tables come and go. */
    static final int IDLE_INTERVALS = 10;
    /** How often (in requests) the idle readings are looked for. */
    static final int SWEEP_EVERY = 1024;

    ReadingCache(ShardCounter counter, Duration freshness, Clock clock, Executor probes) {
        this.counter = counter;
        this.freshness = freshness;
        this.clock = clock;
        this.probes = probes;
    }

    Duration freshness() {
        return freshness;
    }

    Clock clock() {
        return clock;
    }

    Answer get(TriggerConfig trigger) {
        if (gets.incrementAndGet() % SWEEP_EVERY == 0) {
            dropIdle();
        }
        Entry entry = entries.computeIfAbsent(Key.of(trigger), k -> new Entry());
        CompletableFuture<Reading> flight;
        synchronized (entry) {
            if (entry.fresh != null && !isStale(entry.fresh)) {
                return new Answer(CompletableFuture.completedFuture(entry.fresh), true);
            }
            if (entry.inFlight != null) {
                return new Answer(entry.inFlight, true);
            }
            flight = new CompletableFuture<>();
            entry.inFlight = flight;
        }
        probes.execute(() -> count(trigger, entry, flight));
        return new Answer(flight, false);
    }

    private void count(TriggerConfig trigger, Entry entry, CompletableFuture<Reading> flight) {
        Reading reading = null;
        Throwable failure = null;
        try {
            reading = new Reading(counter.count(trigger), clock.instant());
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        synchronized (entry) {
            entry.inFlight = null;
            if (reading != null) {
                entry.fresh = reading;
            }
        }
        if (reading != null) {
            flight.complete(reading);
        } else {
            flight.completeExceptionally(failure);
        }
    }

    /** Readings older than {@link #IDLE_INTERVALS} freshness intervals, with no count under way. */
    void dropIdle() {
        Instant cutoff = clock.instant().minus(freshness.multipliedBy(IDLE_INTERVALS));
        entries.values().removeIf(e -> {
            synchronized (e) {
                return e.inFlight == null && e.fresh != null && e.fresh.takenAt().isBefore(cutoff);
            }
        });
    }

    int size() {
        return entries.size();
    }

    boolean isStale(Reading reading) {
        return !clock.instant().isBefore(reading.takenAt().plus(freshness));
    }
}
