package io.ddbstreamscaler.stream.kcl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The latest read of each lease table, shared by every trigger that reads it, so that a table is scanned about once per
 * polling interval whatever the number of ScaledObjects on it. The rule: a reader (one trigger) gets a read that began
 * after its own previous one; failing that it joins a read under way that began after it, and failing that it reads.
 * So a trigger alone reads on every poll; several triggers on one table share each read, and a trigger's leases are
 * never older than its own polling interval. A read taken for another trigger is older than a fresh one would be,
 * and that only overstates the work left: a lease never leaves SHARD_END, and a shard with no lease counts.
 * <p>
 * A failed read answers the readers that waited for it and is not kept.
 *
 * @param <K> what identifies a table: its name, region, endpoint and the identity reading it
 */
public final class LeaseSnapshots<K> {

    /** A read and when it began; {@code scanned} when this caller made it. */
    public record Read(LeaseSnapshot snapshot, Instant startedAt, boolean scanned) {
    }

    private static final class Entry {
        LeaseSnapshot latest;
        Instant latestStartedAt;
        CompletableFuture<LeaseSnapshot> flight;
        Instant flightStartedAt;
        final Map<Object, Instant> lastReadBy = new HashMap<>();
    }

    /**
     * Readers remembered per table before the idle ones are forgotten. The agent prunes them on every reload
     * ({@link #retainOnly}); the external scaler, whose triggers come with each request, relies on this bound.
     */
    static final int MAX_READERS = 256;
    static final Duration READER_IDLE = Duration.ofHours(1);

    private final Clock clock;
    private final Map<K, Entry> entries = new ConcurrentHashMap<>();

    public LeaseSnapshots(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param reader who asks (equal readers are one): its previous read decides what it may reuse
     * @param scan   reads the table on this thread when nothing may be reused; its exception is thrown to every
     *               reader that waited for it
     */
    public Read get(K table, Object reader, Supplier<LeaseSnapshot> scan) {
        Entry e = entries.computeIfAbsent(table, k -> new Entry());
        Instant now = clock.instant();
        CompletableFuture<LeaseSnapshot> flight;
        Instant startedAt;
        boolean mine = false;
        synchronized (e) {
            Instant previous = e.lastReadBy.put(reader, now);
            if (e.lastReadBy.size() > MAX_READERS) {
                // A forgotten reader only reads the table itself once more.
                e.lastReadBy.values().removeIf(t -> t.isBefore(now.minus(READER_IDLE)));
            }
            if (e.latest != null && previous != null && e.latestStartedAt.isAfter(previous)) {
                return new Read(e.latest, e.latestStartedAt, false);
            }
            if (e.flight != null && (previous == null || e.flightStartedAt.isAfter(previous))) {
                flight = e.flight;
                startedAt = e.flightStartedAt;
            } else {
                flight = new CompletableFuture<>();
                startedAt = now;
                e.flight = flight;
                e.flightStartedAt = now;
                mine = true;
            }
        }
        if (mine) {
            return scan(e, flight, startedAt, scan);
        }
        try {
            return new Read(flight.join(), startedAt, false);
        } catch (CompletionException failed) {
            throw failed.getCause() instanceof RuntimeException r ? r : failed;
        }
    }

    private Read scan(Entry e, CompletableFuture<LeaseSnapshot> flight, Instant startedAt, Supplier<LeaseSnapshot> scan) {
        LeaseSnapshot snapshot;
        try {
            snapshot = scan.get();
        } catch (RuntimeException | Error failed) {
            synchronized (e) {
                if (e.flight == flight) {
                    e.flight = null;
                }
            }
            flight.completeExceptionally(failed);
            throw failed;
        }
        synchronized (e) {
            if (e.latestStartedAt == null || !startedAt.isBefore(e.latestStartedAt)) {
                e.latest = snapshot;
                e.latestStartedAt = startedAt;
            }
            if (e.flight == flight) {
                e.flight = null;
            }
        }
        flight.complete(snapshot);
        return new Read(snapshot, startedAt, true);
    }

    /** Forgets the tables and readers that are not {@code live}. */
    public void retainOnly(Set<K> liveTables, Collection<?> liveReaders) {
        entries.keySet().retainAll(liveTables);
        Set<Object> readers = Set.copyOf(liveReaders);
        entries.values().forEach(e -> {
            synchronized (e) {
                e.lastReadBy.keySet().retainAll(readers);
            }
        });
    }

    public int size() {
        return entries.size();
    }
}
