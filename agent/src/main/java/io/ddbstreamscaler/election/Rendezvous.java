package io.ddbstreamscaler.election;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which agent owns which ScaledObject group: pure, no I/O, the same answer in every JVM.
 *
 * <p><b>Plain rendezvous</b> ({@link #owner}): highest-random-weight hashing. Each (key, member) pair gets a 64-bit
 * weight, the first 8 bytes of SHA-256(key NUL member); a key belongs to the member with the highest weight. A leave
 * moves only the leaver's keys and a join moves only keys to the joiner, but the balance is a binomial draw:
 * {@code RendezvousTest.plainRendezvousMissesTheIssueBound} measures 24 keys over 3 members landing outside
 * [floor(M/N)-1, ceil(M/N)+1] for most member names, which docs/leader-election.md does not allow.
 *
 * <p><b>Sticky bounded loads</b> ({@link #assign}): the assignment also takes who holds each key now, and
 * <ol>
 *   <li>gives each member a capacity, q = floor(M/N) or q+1, r = M mod N of them q+1: first to the members holding more
 *       than q now (so a member at q+1 is not cut back), then by name;</li>
 *   <li>each member keeps the keys it holds, its highest-weight ones up to its capacity;</li>
 *   <li>every other key (unheld, held by a non-member, or over a capacity) goes, in key order, to its highest-weight
 *       member with room left.</li>
 * </ol>
 * The capacities sum to M, so every member ends at exactly its capacity: q or q+1, tighter than that bound, from
 * any starting state, in one step (the result is its own fixed point). From a balanced state a leave only re-places the
 * leaver's keys (the others' capacities do not shrink), and a join only moves keys to the joiner (the old members'
 * capacities only shrink), at most ceil(M/(N+1)) of them. Plain rendezvous cannot have both tight balance and those
 * movement properties (a holder-blind rule that moves only the leaver's keys is a preference order per key, i.e.
 * rendezvous); the holders are what make it possible, and {@link LeaseSpread} reads them from the Leases.
 *
 * <p>Agents apply the result in steps (a holder releases, later the owner acquires). Any state part-way through gives
 * the same result again (the capacities and each member's kept keys do not change while keys move to their targets;
 * {@code RendezvousTest.everyHalfWayStateLeadsToTheSameTarget}), so agents converge without agreeing on an order.
 */
public final class Rendezvous {

    private Rendezvous() {
    }

    /** The member with the highest weight for {@code key} (ties, practically impossible, to the lower name); null if none. */
    public static String owner(String key, List<String> members) {
        String best = null;
        long bestWeight = 0;
        for (String member : members) {
            long w = weight(key, member);
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && member.compareTo(best) < 0)) {
                best = member;
                bestWeight = w;
            }
        }
        return best;
    }

    /**
     * @param keys    the groups (duplicates ignored)
     * @param members the live members (duplicates ignored); none: an empty result
     * @param holders key to its holder now; holders that are not in {@code members} count as no holder
     * @return every key to its owner, in key order
     */
    public static Map<String, String> assign(Collection<String> keys, Collection<String> members,
                                             Map<String, String> holders) {
        List<String> sortedKeys = new ArrayList<>(new TreeSet<>(keys));
        List<String> sortedMembers = new ArrayList<>(new TreeSet<>(members));
        Map<String, String> result = new LinkedHashMap<>();
        if (sortedMembers.isEmpty()) {
            return result;
        }
        Map<String, List<String>> heldBy = new HashMap<>();
        sortedMembers.forEach(m -> heldBy.put(m, new ArrayList<>()));
        for (String key : sortedKeys) {
            String holder = holders.get(key);
            if (holder != null && heldBy.containsKey(holder)) {
                heldBy.get(holder).add(key);
            }
        }
        Map<String, Integer> capacity = capacities(sortedKeys.size(), sortedMembers, heldBy);
        // One hash per (key, member), computed once: 2,000 keys over 5 members is 10,000 SHA-256s a pass.
        Map<String, long[]> weights = new HashMap<>();
        sortedKeys.forEach(k -> weights.put(k, sortedMembers.stream().mapToLong(m -> weight(k, m)).toArray()));
        Map<String, Integer> room = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < sortedMembers.size(); i++) {
            String member = sortedMembers.get(i);
            int index = i;
            List<String> held = heldBy.get(member);
            held.sort(Comparator.comparing((String k) -> weights.get(k)[index], Long::compareUnsigned).reversed()
                    .thenComparing(k -> k));
            List<String> kept = held.subList(0, Math.min(held.size(), capacity.get(member)));
            kept.forEach(k -> owners.put(k, member));
            room.put(member, capacity.get(member) - kept.size());
        }
        for (String key : sortedKeys) {
            if (!owners.containsKey(key)) {
                String member = highestWithRoom(weights.get(key), sortedMembers, room);
                owners.put(key, member);
                room.merge(member, -1, Integer::sum);
            }
        }
        sortedKeys.forEach(k -> result.put(k, owners.get(k)));
        return result;
    }

    /** q or q+1 each; the q+1 first to members holding more than q (they keep it), then by name. */
    private static Map<String, Integer> capacities(int keys, List<String> members, Map<String, List<String>> heldBy) {
        int q = keys / members.size();
        int extra = keys % members.size();
        List<String> order = new ArrayList<>(members);
        order.sort(Comparator.comparing((String m) -> heldBy.get(m).size() > q ? 0 : 1).thenComparing(m -> m));
        Map<String, Integer> capacity = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            capacity.put(order.get(i), q + (i < extra ? 1 : 0));
        }
        return capacity;
    }

    /** As {@link #owner}, among the members with room (members sorted, so a tie goes to the lower name). */
    private static String highestWithRoom(long[] weights, List<String> members, Map<String, Integer> room) {
        int best = -1;
        for (int i = 0; i < members.size(); i++) {
            if (room.get(members.get(i)) > 0 && (best < 0 || Long.compareUnsigned(weights[i], weights[best]) > 0)) {
                best = i;
            }
        }
        return members.get(best);
    }

    /** The first 8 bytes of SHA-256(key NUL member), big-endian: well mixed and the same on every JVM. */
    static long weight(String key, String member) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha.update(key.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] digest = sha.digest(member.getBytes(StandardCharsets.UTF_8));
        long w = 0;
        for (int i = 0; i < 8; i++) {
            w = (w << 8) | (digest[i] & 0xff);
        }
        return w;
    }
}
