package io.ddbstreamscaler.election;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spread rule: pinned hashes, small cases by hand, then the bounds of docs/leader-election.md (balance, moves on a join, moves on a
 * leave) over a few thousand seeded (M, N, names) combinations.
 */
class RendezvousTest {

    // ---- the weight is part of the protocol: agents of different builds must agree on it
    record WeightRow(String name, String key, String member, long expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    // Expected values from Python's hashlib.sha256(key + b"\0" + member).digest()[:8], big-endian.
    static Stream<WeightRow> weights() {
        return Stream.of(
                new WeightRow("a plain group and pod", "g", "agent-a", 0x39c3ed4e07496c82L),
                new WeightRow("a namespaced group", "keda-test/orders", "agent-0", 0x1104094595b8a2fbL),
                new WeightRow("empty strings", "", "", 0x6e340b9cffb37a98L),
                new WeightRow("non-ASCII is hashed as UTF-8", "ß", "x", 0x5aeb88ecb2e9b67cL));
    }

    @ParameterizedTest
    @MethodSource("weights")
    void theWeightIsTheSha256Prefix(WeightRow row) {
        assertEquals(row.expected(), Rendezvous.weight(row.key(), row.member()));
    }

    record OwnerRow(String name, String key, List<String> members, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Owners worked out apart from this code: the weights from Python's hashlib (as above), the highest taken as an
     * unsigned 64-bit number. Rows where a signed comparison would pick another member say so.
     */
    static Stream<OwnerRow> owners() {
        List<String> abc = List.of("agent-a", "agent-b", "agent-c");
        return Stream.of(
                // g: a 0x39c3.., b 0xc0c7.., c 0x6772..; signed, b would be the lowest and c would win.
                new OwnerRow("unsigned: the top bit set weighs most", "g", abc, "agent-b"),
                // keda-test/orders: a 0xf909.., b 0x44cb.., c 0x917c..; signed, b would win.
                new OwnerRow("unsigned: two weights with the top bit set", "keda-test/orders", abc, "agent-a"),
                new OwnerRow("another group", "shop/e", abc, "agent-c"),
                new OwnerRow("the order of the members does not matter", "shop/e",
                        List.of("agent-c", "agent-b", "agent-a"), "agent-c"),
                new OwnerRow("a leave moves only the leaver's key", "g", List.of("agent-a", "agent-c"), "agent-c"),
                new OwnerRow("a key of a member that stays does not move", "shop/e", List.of("agent-a", "agent-c"),
                        "agent-c"),
                new OwnerRow("no members: nobody", "g", List.of(), null));
    }

    @ParameterizedTest
    @MethodSource("owners")
    void plainOwnerIsTheHighestUnsignedWeight(OwnerRow row) {
        assertEquals(row.expected(), Rendezvous.owner(row.key(), row.members()));
    }

    record AssignmentRow(String name, List<String> members, Map<String, String> holders, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Whole assignments of so-0..so-6, worked out by hand from the rule in {@link Rendezvous}'s Javadoc (capacities,
     * kept keys, then each other key to its highest-weight member with room) with the hashlib weights. Plain owners
     * over a, b, c: so-0 b, so-1 b, so-2 a, so-3 a, so-4 a, so-5 c, so-6 c.
     */
    static Stream<AssignmentRow> assignments() {
        List<String> abc = List.of("a", "b", "c");
        Map<String, String> plain = Map.of("so-0", "b", "so-1", "b", "so-2", "a", "so-3", "a", "so-4", "a",
                "so-5", "c", "so-6", "c");
        return Stream.of(
                new AssignmentRow("nobody holds anything: the plain owners fit the capacities (a 3, b 2, c 2)", abc,
                        Map.of(), plain),
                new AssignmentRow("c holds so-0..so-2, more than q = 2: it keeps all three, the rest by weight", abc,
                        Map.of("so-0", "c", "so-1", "c", "so-2", "c"),
                        Map.of("so-0", "c", "so-1", "c", "so-2", "c", "so-3", "a", "so-4", "a", "so-5", "b",
                                "so-6", "b")),
                new AssignmentRow("a holds all seven: it keeps its three heaviest, the others go by weight", abc,
                        allTo("a", 7),
                        Map.of("so-0", "a", "so-1", "b", "so-2", "a", "so-3", "a", "so-4", "c", "so-5", "c",
                                "so-6", "b")),
                new AssignmentRow("d joins the plain state: one key moves, to d", List.of("a", "b", "c", "d"), plain,
                        Map.of("so-0", "b", "so-1", "b", "so-2", "a", "so-3", "a", "so-4", "d", "so-5", "c",
                                "so-6", "c")),
                new AssignmentRow("b leaves the plain state: only b's two keys move", List.of("a", "c"), plain,
                        Map.of("so-0", "a", "so-1", "c", "so-2", "a", "so-3", "a", "so-4", "a", "so-5", "c",
                                "so-6", "c")));
    }

    @ParameterizedTest
    @MethodSource("assignments")
    void assignsTheOwnersTheRuleNames(AssignmentRow row) {
        assertEquals(row.expected(), Rendezvous.assign(keys(7), row.members(), row.holders()));
    }

    // ---- small cases
    record AssignRow(String name, List<String> keys, List<String> members, Map<String, String> holders,
                     Map<String, Integer> expectedCounts, int expectedMoves) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<String> keys(int n) {
        return IntStream.range(0, n).mapToObj(i -> "so-" + i).toList();
    }

    static Map<String, String> allTo(String member, int n) {
        Map<String, String> holders = new HashMap<>();
        keys(n).forEach(k -> holders.put(k, member));
        return holders;
    }

    static Stream<AssignRow> small() {
        return Stream.of(
                new AssignRow("no members: nobody owns anything", keys(3), List.of(), Map.of(), Map.of(), 0),
                new AssignRow("no keys", List.of(), List.of("a", "b"), Map.of(), Map.of("a", 0, "b", 0), 0),
                new AssignRow("one member owns every key", keys(5), List.of("a"), Map.of(), Map.of("a", 5), 5),
                new AssignRow("the first agent holds all 24 (today's 24/0/0): 8 each, 16 move", keys(24),
                        List.of("a", "b", "c"), allTo("a", 24), Map.of("a", 8, "b", 8, "c", 8), 16),
                new AssignRow("holders that are not members count as none", keys(24), List.of("b", "c"),
                        allTo("gone", 24), Map.of("b", 12, "c", 12), 24),
                new AssignRow("M mod N = 1: the extra key stays with the member holding more than q", keys(7),
                        List.of("a", "b", "c"), Map.of("so-0", "c", "so-1", "c", "so-2", "c"),
                        Map.of("a", 2, "b", 2, "c", 3), 4),
                new AssignRow("fewer keys than members: some own none", keys(2), List.of("a", "b", "c"), Map.of(),
                        null, 2));
    }

    @ParameterizedTest
    @MethodSource("small")
    void smallCases(AssignRow row) {
        Map<String, String> result = Rendezvous.assign(row.keys(), row.members(), row.holders());
        assertEquals(row.members().isEmpty() ? 0 : row.keys().size(), result.size());
        if (row.expectedCounts() != null) {
            assertEquals(row.expectedCounts(), counts(result, row.members()));
        }
        assertEquals(row.expectedMoves(), moves(row.holders(), result));
    }

    // ---- the bounds of docs/leader-election.md over many seeded combinations
    static final int COMBINATIONS = 3000;

    /** M keys, N members with random names (so hashing, not name order, decides), random holders. */
    record Combo(List<String> keys, List<String> members, Random random) {
        static Combo of(long seed) {
            Random random = new Random(seed);
            int m = 1 + random.nextInt(80);
            int n = 1 + random.nextInt(7);
            List<String> members = new ArrayList<>();
            while (members.size() < n) {
                String name = "agent-" + Long.toString(random.nextLong() & 0xffffff, 36);
                if (!members.contains(name)) {
                    members.add(name);
                }
            }
            List<String> keys = IntStream.range(0, m).mapToObj(i -> "ns-" + random.nextInt(5) + "/so-" + i).toList();
            return new Combo(keys, members, random);
        }

        Map<String, String> randomHolders() {
            Map<String, String> holders = new HashMap<>();
            for (String key : keys) {
                int pick = random.nextInt(members.size() + 2);
                if (pick < members.size()) {
                    holders.put(key, members.get(pick));
                } else if (pick == members.size()) {
                    holders.put(key, "not-a-member");
                }
            }
            return holders;
        }

        String newName() {
            return "agent-joiner-" + random.nextInt(1000);
        }
    }

    @Test
    void fromAnyStateEveryMemberEndsAtFloorOrCeilAndStaysThere() {
        int overCeil = Integer.MIN_VALUE;
        int underFloor = Integer.MIN_VALUE;
        for (long seed = 0; seed < COMBINATIONS; seed++) {
            Combo c = Combo.of(seed);
            Map<String, String> result = Rendezvous.assign(c.keys(), c.members(), c.randomHolders());
            assertBalanced(c.keys().size(), c.members(), result, "seed " + seed);
            assertEquals(result, Rendezvous.assign(c.keys(), c.members(), result), "a fixed point, seed " + seed);
            int m = c.keys().size();
            int n = c.members().size();
            for (int held : counts(result, c.members()).values()) {
                overCeil = Math.max(overCeil, held - ceil(m, n));
                underFloor = Math.max(underFloor, m / n - held);
            }
        }
        System.out.println("Rendezvous balance from random states, " + COMBINATIONS + " combinations (M 1..80, N 1..7): "
                + "most above ceil(M/N) " + overCeil + ", most below floor(M/N) " + underFloor);
    }

    @Test
    void aJoinMovesKeysOnlyToTheJoinerAndAtMostCeilMOverN() {
        int maxMoves = 0;
        for (long seed = 0; seed < COMBINATIONS; seed++) {
            Combo c = Combo.of(seed);
            Map<String, String> stable = Rendezvous.assign(c.keys(), c.members(), c.randomHolders());
            String joiner = c.newName();
            List<String> after = new ArrayList<>(c.members());
            after.add(joiner);
            Map<String, String> joined = Rendezvous.assign(c.keys(), after, stable);
            assertBalanced(c.keys().size(), after, joined, "seed " + seed);
            int m = c.keys().size();
            int moved = 0;
            for (String key : c.keys()) {
                if (!stable.get(key).equals(joined.get(key))) {
                    assertEquals(joiner, joined.get(key), key + " moved between old members, seed " + seed);
                    moved++;
                }
            }
            int n = c.members().size();
            assertTrue(moved <= ceil(m, n + 1), "moved " + moved + " of " + m + " onto " + (n + 1) + ", seed " + seed);
            assertTrue(moved <= ceil(m, n) + 1, "the bound, seed " + seed);
            maxMoves = Math.max(maxMoves, moved);
        }
        System.out.println("Rendezvous join: at most " + maxMoves + " keys moved, all to the joiner, over "
                + COMBINATIONS + " combinations");
    }

    @Test
    void aLeaveMovesOnlyTheLeaversKeys() {
        int maxMoves = 0;
        for (long seed = 0; seed < COMBINATIONS; seed++) {
            Combo c = Combo.of(seed);
            if (c.members().size() < 2) {
                continue;
            }
            Map<String, String> stable = Rendezvous.assign(c.keys(), c.members(), c.randomHolders());
            String leaver = c.members().get(c.random().nextInt(c.members().size()));
            List<String> after = new ArrayList<>(c.members());
            after.remove(leaver);
            Map<String, String> left = Rendezvous.assign(c.keys(), after, stable);
            assertBalanced(c.keys().size(), after, left, "seed " + seed);
            for (String key : c.keys()) {
                if (!stable.get(key).equals(leaver)) {
                    assertEquals(stable.get(key), left.get(key), key + " moved but was not the leaver's, seed " + seed);
                }
            }
            maxMoves = Math.max(maxMoves, moves(stable, left));
        }
        System.out.println("Rendezvous leave: only the leaver's keys moved, at most " + maxMoves + ", over "
                + COMBINATIONS + " combinations");
    }

    @Test
    void aLongRunOfJoinsAndLeavesKeepsEveryBound() {
        Random random = new Random(10);
        List<String> keys = keys(60);
        List<String> members = new ArrayList<>(List.of("agent-0", "agent-1", "agent-2"));
        Map<String, String> state = Rendezvous.assign(keys, members, Map.of());
        int next = 3;
        for (int step = 0; step < 500; step++) {
            boolean join = members.size() < 2 || (members.size() < 8 && random.nextBoolean());
            List<String> after = new ArrayList<>(members);
            String changed = join ? "agent-" + next++ : members.get(random.nextInt(members.size()));
            if (join) {
                after.add(changed);
            } else {
                after.remove(changed);
            }
            Map<String, String> result = Rendezvous.assign(keys, after, state);
            assertBalanced(keys.size(), after, result, "step " + step);
            int moved = moves(state, result);
            if (join) {
                assertTrue(moved <= ceil(keys.size(), members.size()) + 1, "step " + step + ": " + moved);
            } else {
                assertEquals(counts(state, members).get(changed), moved, "only the leaver's, step " + step);
            }
            state = result;
            members = after;
        }
    }

    @Test
    void everyHalfWayStateLeadsToTheSameTarget() {
        for (long seed = 0; seed < COMBINATIONS; seed++) {
            Combo c = Combo.of(seed);
            Map<String, String> start = c.randomHolders();
            Map<String, String> target = Rendezvous.assign(c.keys(), c.members(), start);
            // Each key on its way is still with its old holder, released (no holder), or already with its owner.
            Map<String, String> halfWay = new HashMap<>();
            for (String key : c.keys()) {
                String from = start.get(key);
                int pick = from != null && from.equals(target.get(key)) ? 0 : c.random().nextInt(3);
                String now = switch (pick) {
                    case 0 -> from;
                    case 1 -> null;
                    default -> target.get(key);
                };
                if (now != null) {
                    halfWay.put(key, now);
                }
            }
            assertEquals(target, Rendezvous.assign(c.keys(), c.members(), halfWay), "seed " + seed);
        }
    }

    // ---- why the holders are needed: plain rendezvous does not meet the bound
    @Test
    void plainRendezvousMissesTheIssueBound() {
        int outside = 0;
        int trials = 0;
        int lowest = Integer.MAX_VALUE;
        int highest = 0;
        for (int n = 3; n <= 5; n++) {
            for (long seed = 0; seed < 100; seed++) {
                Random random = new Random(seed * 31 + n);
                List<String> members = IntStream.range(0, n)
                        .mapToObj(i -> "agent-" + Long.toString(random.nextLong() & 0xffffff, 36)).toList();
                Map<String, String> plain = new TreeMap<>();
                keys(60).forEach(k -> plain.put(k, Rendezvous.owner(k, members)));
                Map<String, Integer> counts = counts(plain, members);
                int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
                int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
                trials++;
                if (min < 60 / n - 1 || max > ceil(60, n) + 1) {
                    outside++;
                }
                lowest = Math.min(lowest, min);
                highest = Math.max(highest, max);
            }
        }
        System.out.println("Plain rendezvous, 60 keys over 3..5 members: " + outside + " of " + trials
                + " name sets outside [floor-1, ceil+1]; fewest held " + lowest + ", most " + highest);
        assertTrue(outside > trials / 2, "plain rendezvous is usually outside the bound: " + outside + " of " + trials);
    }

    // ---- helpers
    static void assertBalanced(int m, List<String> members, Map<String, String> result, String where) {
        assertEquals(m, result.size(), "every key owned, " + where);
        Map<String, Integer> counts = counts(result, members);
        assertEquals(m, counts.values().stream().mapToInt(Integer::intValue).sum(), "owned by members only, " + where);
        int n = members.size();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            assertTrue(e.getValue() >= m / n && e.getValue() <= ceil(m, n),
                    e.getKey() + " owns " + e.getValue() + " of " + m + " over " + n + ", " + where);
        }
    }

    static Map<String, Integer> counts(Map<String, String> owners, List<String> members) {
        Map<String, Integer> counts = new TreeMap<>();
        members.forEach(m -> counts.put(m, 0));
        owners.values().forEach(m -> counts.computeIfPresent(m, (k, v) -> v + 1));
        return counts;
    }

    static int moves(Map<String, String> before, Map<String, String> after) {
        return (int) after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).count();
    }

    static int ceil(int m, int n) {
        return (m + n - 1) / n;
    }
}
