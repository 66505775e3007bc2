package io.ddbstreamscaler.election;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How one agent judges a peer from the peer's membership Lease, by its own clock only (15 s lease). */
class MemberObservationsTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** One LIST: at second {@code at}, the peer's Lease at {@code version} (null: absent, but named as a holder). */
    record Look(int at, String version, boolean tombstoned) {
    }

    record Row(String name, List<Look> looks, int askAt, boolean fresh, boolean mayLead, boolean stale) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Look seen(int at, String version) {
        return new Look(at, version, false);
    }

    static Look absent(int at) {
        return new Look(at, null, false);
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("never seen: it may be leading, it is no member", List.of(), 0, false, true, false),
                new Row("first seen counts as a change now", List.of(seen(0, "1")), 0, true, true, false),
                new Row("unchanged for less than the lease: fresh", List.of(seen(0, "1"), seen(10, "1")), 14,
                        true, true, false),
                new Row("unchanged for the whole lease: stale, to be tombstoned", List.of(seen(0, "1"), seen(10, "1")),
                        15, false, false, true),
                new Row("a new resourceVersion restarts the clock", List.of(seen(0, "1"), seen(10, "2")), 24,
                        true, true, false),
                new Row("tombstoned by a peer: its groups are free at once", List.of(new Look(0, "1", true)), 0,
                        false, false, false),
                new Row("gone for less than the lease: it may not have noticed yet", List.of(seen(0, "1"), absent(10)),
                        24, false, true, false),
                new Row("gone for the lease: its groups are free", List.of(seen(0, "1"), absent(10)), 25,
                        false, false, false),
                new Row("an observer that could not LIST for a lease duration starts afresh",
                        List.of(seen(0, "1"), seen(20, "1")), 20, true, true, false),
                new Row("a LIST exactly a lease duration after the last one starts afresh too",
                        List.of(seen(0, "1"), seen(15, "1")), 15, true, true, false),
                new Row("a LIST just within the lease duration keeps the clock", List.of(seen(0, "1"), seen(14, "1")),
                        15, false, false, true),
                new Row("tombstoned, then renewed by its holder under a new version: a member again",
                        List.of(new Look(0, "1", true), seen(5, "2")), 5, true, true, false));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void judgesByItsOwnClock(Row row) {
        MemberObservations observations = new MemberObservations(Duration.ofSeconds(15));
        for (Look look : row.looks()) {
            Map<String, MemberObservations.Now> listed = look.version() == null ? Map.of()
                    : Map.of("peer", new MemberObservations.Now(look.version(), look.tombstoned()));
            observations.observe(listed, Set.of("peer"), T0.plusSeconds(look.at()));
        }
        Instant at = T0.plusSeconds(row.askAt());
        assertEquals(row.fresh(), observations.fresh("peer", at), "fresh");
        assertEquals(row.mayLead(), observations.mayLead("peer", at), "may lead");
        assertEquals(row.stale(), observations.stale("peer", at), "stale");
    }

    @Test
    void anIdentityNoLongerNamedIsForgottenAndStartsAfreshWhenItComesBack() {
        MemberObservations observations = new MemberObservations(Duration.ofSeconds(15));
        observations.observe(Map.of("peer", new MemberObservations.Now("1", false)), Set.of(), T0);
        observations.observe(Map.of(), Set.of(), T0.plusSeconds(5)); // neither listed nor a holder: forgotten
        observations.observe(Map.of("peer", new MemberObservations.Now("1", false)), Set.of(), T0.plusSeconds(10));
        assertEquals(true, observations.fresh("peer", T0.plusSeconds(24)), "seen since 10 s, not since 0 s");
        assertEquals(false, observations.stale("peer", T0.plusSeconds(24)));
    }

    @Test
    void afterItsOwnTombstoneWriteThePeerLeadsNothing() {
        MemberObservations observations = new MemberObservations(Duration.ofSeconds(15));
        observations.observe(Map.of("peer", new MemberObservations.Now("1", false)), Set.of(), T0);
        observations.tombstoned("peer", "2", T0.plusSeconds(16));
        assertEquals(List.of(false, false, false), List.of(observations.fresh("peer", T0.plusSeconds(16)),
                observations.mayLead("peer", T0.plusSeconds(16)), observations.stale("peer", T0.plusSeconds(16))));
    }
}
