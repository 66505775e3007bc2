package io.ddbstreamscaler.stream.kcl;

import io.ddbstreamscaler.simulator.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One lease read per polling interval per table, whatever the number of triggers reading it. */
class LeaseSnapshotsTest {

    final ManualClock clock = new ManualClock();
    final LeaseSnapshots<String> snapshots = new LeaseSnapshots<>(clock);
    final AtomicInteger scans = new AtomicInteger();

    Supplier<LeaseSnapshot> scan() {
        return () -> {
            scans.incrementAndGet();
            return new LeaseSnapshot(Map.of(), 0, 1);
        };
    }

    @Test
    void aTriggerAloneReadsOnEveryPoll() {
        for (int poll = 0; poll < 5; poll++) {
            assertTrue(snapshots.get("orders-app", "A", scan()).scanned());
            clock.advance(Duration.ofSeconds(30));
        }
        assertEquals(5, scans.get());
    }

    @Test
    void triggersOnOneTableShareEachRead() {
        // Three ScaledObjects on one lease table, 30 s interval, polled 5 s apart, for 10 intervals.
        List<Boolean> scanned = new ArrayList<>();
        for (int interval = 0; interval < 10; interval++) {
            scanned.add(snapshots.get("orders-app", "A", scan()).scanned());
            clock.advance(Duration.ofSeconds(5));
            scanned.add(snapshots.get("orders-app", "B", scan()).scanned());
            clock.advance(Duration.ofSeconds(5));
            scanned.add(snapshots.get("orders-app", "C", scan()).scanned());
            clock.advance(Duration.ofSeconds(20));
        }
        // B and C read first at their first poll (a trigger's first read is its own); then one read per interval.
        assertEquals(3 + 9, scans.get(), scanned::toString);
    }

    @Test
    void aSharedReadIsNeverOlderThanTheReadersOwnInterval() {
        snapshots.get("orders-app", "A", scan());
        snapshots.get("orders-app", "B", scan());
        clock.advance(Duration.ofSeconds(25));
        snapshots.get("orders-app", "A", scan()); // read at 25 s
        clock.advance(Duration.ofSeconds(5));

        LeaseSnapshots.Read b = snapshots.get("orders-app", "B", scan()); // 30 s: A's read, begun after B's last

        assertAll(
                () -> assertFalse(b.scanned()),
                () -> assertEquals(clock.instant().minusSeconds(5), b.startedAt()),
                () -> assertEquals(3, scans.get()));
    }

    @Test
    void tablesAreApart() {
        snapshots.get("orders-app", "A", scan());
        snapshots.get("billing-app", "A", scan());
        clock.advance(Duration.ofSeconds(1));
        snapshots.get("billing-app", "B", scan());

        assertEquals(3, scans.get());
    }

    @Test
    void aFailedReadIsNotKept() {
        RuntimeException denied = new IllegalStateException("denied");
        assertSame(denied, assertThrows(IllegalStateException.class, () -> snapshots.get("orders-app", "A", () -> {
            throw denied;
        })));
        clock.advance(Duration.ofSeconds(1));

        assertTrue(snapshots.get("orders-app", "B", scan()).scanned());
    }

    @Test
    void aReaderJoinsTheReadUnderWayAndGetsItsFailureToo() throws Exception {
        CountDownLatch scanning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RuntimeException throttled = new IllegalStateException("throttled");
        CompletableFuture<Throwable> first = new CompletableFuture<>();
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        Thread a = new Thread(() -> first.complete(failure(() -> snapshots.get("orders-app", "A", () -> {
            scanning.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw throttled;
        }))));
        a.start();
        assertTrue(scanning.await(10, TimeUnit.SECONDS));
        Thread b = new Thread(() -> second.complete(failure(() -> snapshots.get("orders-app", "B", scan()))));
        b.start();
        // B waits for A's read (parked in join) before A's read fails.
        await().atMost(Duration.ofSeconds(10)).until(() -> b.getState() == Thread.State.WAITING);
        release.countDown();

        assertAll(
                () -> assertSame(throttled, first.get(10, TimeUnit.SECONDS)),
                () -> assertSame(throttled, second.get(10, TimeUnit.SECONDS)),
                () -> assertEquals(0, scans.get(), "B joined A's read instead of reading"));
    }

    private static Throwable failure(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void retainOnlyForgetsTablesNoTriggerReads() {
        snapshots.get("orders-app", "A", scan());
        snapshots.get("billing-app", "B", scan());

        snapshots.retainOnly(java.util.Set.of("orders-app"), List.of("A"));

        assertEquals(1, snapshots.size());
    }
}
