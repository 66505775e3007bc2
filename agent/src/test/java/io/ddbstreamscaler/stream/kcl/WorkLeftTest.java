package io.ddbstreamscaler.stream.kcl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease-aware count, lineage case by lineage case. A row is a shard tree as DescribeStream lists it, the leases
 * KCL wrote for it, and what the rule makes of it. Shards: {@code P} a parent, {@code C1 C2} its children, {@code G1
 * G2} C1's children; {@code open(...)} has no EndingSequenceNumber, {@code closed(...)} has one.
 */
class WorkLeftTest {

    static ListedShard open(String id, String parent) {
        return new ListedShard(id, parent, false);
    }

    static ListedShard closed(String id, String parent) {
        return new ListedShard(id, parent, true);
    }

    static LeaseItem lease(String id, String checkpoint, String owner) {
        return new LeaseItem(id, checkpoint, owner);
    }

    static LeaseSnapshot leases(LeaseItem... items) {
        Map<String, LeaseItem> m = new HashMap<>();
        for (LeaseItem i : items) {
            m.put(i.leaseKey(), i);
        }
        return new LeaseSnapshot(m, 0, 1);
    }

    /** What a row expects: the metric and how it was made. */
    record Expected(int workLeft, int finished, int waitingOnParent, int withoutLease, int finishedUnleased,
                    int unlisted) {
        static Expected of(LeaseCount c) {
            return new Expected(c.workLeft(), c.finished(), c.waitingOnParent(), c.withoutLease(), c.finishedUnleased(),
                    c.unlistedLeases());
        }
    }

    static final String SEQ = "49590338271490256608559692538361571095921575989136588898";

    static Stream<Arguments> lineageRows() {
        return Stream.of(
                // name, listed shards, leases, expected (workLeft, finished, waitingOnParent, withoutLease, finishedUnleased, unlisted)
                Arguments.of("one open shard being read",
                        List.of(open("P", null)), leases(lease("P", SEQ, "w1")),
                        new Expected(1, 0, 0, 0, 0, 0)),
                Arguments.of("finished parent: only its children count",
                        List.of(closed("P", null), open("C1", "P"), open("C2", "P")),
                        leases(lease("P", "SHARD_END", "w1"), lease("C1", "TRIM_HORIZON", "w1"), lease("C2", SEQ, "w2")),
                        new Expected(2, 1, 0, 0, 0, 0)),
                Arguments.of("unfinished parent: it counts, and so do its children, which wait for it",
                        List.of(closed("P", null), open("C1", "P"), open("C2", "P")),
                        leases(lease("P", SEQ, "w1")),
                        new Expected(3, 0, 2, 2, 0, 0)),
                Arguments.of("unfinished parent whose children KCL already leased: the same count",
                        List.of(closed("P", null), open("C1", "P"), open("C2", "P")),
                        leases(lease("P", SEQ, "w1"), lease("C1", "TRIM_HORIZON", "w2"), lease("C2", "TRIM_HORIZON", "w1")),
                        new Expected(3, 0, 2, 0, 0, 0)),
                Arguments.of("no lease yet: a new shard counts (KCL has not synced it)",
                        List.of(open("P", null), open("Q", null)), leases(lease("P", SEQ, "w1")),
                        new Expected(2, 0, 0, 1, 0, 0)),
                Arguments.of("an empty lease table: every listed shard counts (KEDA's count)",
                        List.of(closed("P", null), open("C1", "P"), open("C2", "P")), leases(),
                        new Expected(3, 0, 2, 3, 0, 0)),
                Arguments.of("lease for a shard no longer listed: not counted",
                        List.of(open("C1", "P"), open("C2", "P")),
                        leases(lease("P", SEQ, "w1"), lease("C1", SEQ, "w1"), lease("C2", SEQ, "w2")),
                        new Expected(2, 0, 0, 0, 0, 1)),
                Arguments.of("finished parent whose lease KCL deleted once its children started",
                        List.of(closed("P", null), open("C1", "P"), open("C2", "P")),
                        leases(lease("C1", SEQ, "w1"), lease("C2", SEQ, "w2")),
                        new Expected(2, 1, 0, 0, 1, 0)),
                Arguments.of("no lease and children only created (TRIM_HORIZON): not known finished, counts",
                        List.of(closed("P", null), open("C1", "P"), open("C2", "P")),
                        leases(lease("C1", "TRIM_HORIZON", "w1"), lease("C2", "TRIM_HORIZON", "w2")),
                        new Expected(3, 0, 2, 1, 0, 0)),
                Arguments.of("consumer started at LATEST: older shards never leased, finished by their started child",
                        List.of(closed("P", null), open("C1", "P")), leases(lease("C1", "LATEST", "w1")),
                        new Expected(1, 1, 0, 0, 1, 0)),
                Arguments.of("grandparent known finished through a finished, deleted child",
                        List.of(closed("P", null), closed("C1", "P"), closed("C2", "P"), open("G1", "C1"),
                                open("G2", "C1"), open("H1", "C2"), open("H2", "C2")),
                        leases(lease("C2", "SHARD_END", "w1"), lease("G1", SEQ, "w1"), lease("G2", SEQ, "w2"),
                                lease("H1", "TRIM_HORIZON", "w2"), lease("H2", "TRIM_HORIZON", "w1")),
                        new Expected(4, 3, 0, 0, 2, 0)),
                Arguments.of("a chain draining: finished parent, unfinished child, blocked grandchildren",
                        List.of(closed("P", null), closed("C1", "P"), open("C2", "P"), open("G1", "C1"),
                                open("G2", "C1")),
                        leases(lease("P", "SHARD_END", "w1"), lease("C1", SEQ, "w1"), lease("C2", SEQ, "w2")),
                        new Expected(4, 1, 2, 2, 0, 0)),
                Arguments.of("an open shard is never finished, whatever its children (none can exist)",
                        List.of(open("P", null)), leases(),
                        new Expected(1, 0, 0, 1, 0, 0)),
                Arguments.of("a lease with no checkpoint attribute counts as not finished",
                        List.of(closed("P", null)), leases(lease("P", null, "w1")),
                        new Expected(1, 0, 0, 0, 0, 0)),
                Arguments.of("parent links that loop decide nothing: every shard counts",
                        List.of(closed("A", "B"), closed("B", "A")), leases(),
                        new Expected(2, 0, 2, 2, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineageRows")
    void countsTheShardsWithWorkLeft(String name, List<ListedShard> shards, LeaseSnapshot leases, Expected expected) {
        LeaseCount count = WorkLeft.count("orders-app", shards, leases);

        assertEquals(expected, Expected.of(count));
        assertEquals(shards.size(), count.workLeft() + count.finished(), "every listed shard is one or the other");
    }

    static Stream<Arguments> boundRows() {
        return lineageRows().map(a -> Arguments.of(a.get()[0], a.get()[1], a.get()[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundRows")
    void neverAboveKedasCountNorBelowTheOpenShards(String name, List<ListedShard> shards, LeaseSnapshot leases) {
        LeaseCount count = WorkLeft.count("orders-app", shards, leases);

        long open = shards.stream().filter(s -> !s.closed()).count();
        assertTrue(count.workLeft() <= shards.size() && count.workLeft() >= open,
                () -> count.workLeft() + " not in [" + open + ", " + shards.size() + "]");
    }

    static Stream<Arguments> workerRows() {
        return Stream.of(
                // name, leases, byWorker (shards with work left only), max per worker, unowned
                Arguments.of("balanced fleet", leases(lease("A", SEQ, "w1"), lease("B", SEQ, "w2")),
                        Map.of("w1", 1, "w2", 1), 1, 0),
                Arguments.of("unbalanced fleet", leases(lease("A", SEQ, "w1"), lease("B", SEQ, "w1"),
                        lease("C", SEQ, "w1"), lease("D", SEQ, "w2")), Map.of("w1", 3, "w2", 1), 3, 0),
                Arguments.of("finished leases are no work: not on the worker", leases(lease("A", "SHARD_END", "w1"),
                        lease("B", SEQ, "w2"), lease("C", SEQ, "w2"), lease("D", SEQ, "w2")), Map.of("w2", 3), 3, 0),
                Arguments.of("a lease nobody holds (leaseOwner absent)", leases(lease("A", SEQ, null),
                        lease("B", SEQ, "w1"), lease("C", SEQ, "w1"), lease("D", SEQ, "w1")), Map.of("w1", 3), 3, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workerRows")
    void leasesPerWorker(String name, LeaseSnapshot leases, Map<String, Integer> byWorker, int max, int unowned) {
        List<ListedShard> shards = List.of(closed("A", null), open("B", null), open("C", null), open("D", null));

        LeaseCount count = WorkLeft.count("orders-app", shards, leases);

        assertAll(
                () -> assertEquals(byWorker, count.byWorker()),
                () -> assertEquals(max, count.maxPerWorker()),
                () -> assertEquals(byWorker.size(), count.workers()),
                () -> assertEquals(unowned, count.unowned()));
    }

    @Test
    void saysWhenNoLeaseNamesAListedShard() {
        LeaseCount count = WorkLeft.count("other-app", List.of(open("A", null), open("B", null)),
                leases(lease("account:other-stream:1:shardId-1", SEQ, "w1")));

        assertAll(
                () -> assertEquals(2, count.workLeft(), "every listed shard counts: KEDA's count, never fewer"),
                () -> assertTrue(count.noLeaseMatches()),
                () -> assertTrue(count.describe().contains("none of its 1 leases names a listed shard"),
                        count::describe));
    }

    @Test
    void describesHowTheCountWasMadeWithoutSemicolons() {
        LeaseCount count = WorkLeft.count("orders-app",
                List.of(closed("P", null), open("C1", "P"), open("C2", "P"), closed("Q", null), open("D1", "Q")),
                leases(lease("P", SEQ, "w1"), lease("Q", "SHARD_END", "w2"), lease("D1", SEQ, "w2")));

        assertAll(
                () -> assertEquals("KCL lease table orders-app: 1 finished, 2 waiting on a parent, 2 without a lease,"
                        + " 2 workers (at most 1 lease on one)", count.describe()),
                () -> assertEquals("KCL lease table orders-app: 1 finished, 2 waiting on a parent, 2 without a lease,"
                        + " 2 workers (at most 1 lease on one), leases read 12 s ago",
                        count.withSnapshotAge(12).describe()),
                () -> assertFalse(count.describe().contains(";")));
    }
}
