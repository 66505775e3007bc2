package io.ddbstreamscaler.simulator.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A KCL consumer fleet reading one table's stream, for the demo and the {@code lease-aware} bench. It keeps the fleet's
 * lease table in {@link AwsState} as KCL writes it (leaseKey = shard id, leaseOwner, checkpoint, and KCL's other
 * attributes), so the agent reads it with a real Scan. What it does, KCL's way:
 * <ul>
 *   <li>One lease per shard; a child's lease is created when its parent reaches SHARD_END (KCL 2.x and 3.x), or as soon
 *       as the shard is listed ({@link ChildLeases#WHEN_LISTED}, a full shard sync such as KCL 1.x ran).</li>
 *   <li>Workers balance leases by count (KCL's lease taker): unowned leases go to the least loaded worker, and leases
 *       move from the most to the least loaded until they differ by at most one. The fleet has as many workers as
 *       {@code workers} says (the Deployment's replicas); a worker that goes leaves its leases unowned.</li>
 *   <li>A worker reads at most {@code slotsPerWorker} shards at a time, oldest first; a shard is blocked while its
 *       listed parent is not finished (KCL reads parents first). A closed shard read to its end gets SHARD_END.</li>
 *   <li>A finished lease is deleted once its children have started and its parent's lease is gone (KCL's
 *       LeaseCleanupManager); a lease of a shard no longer listed is deleted too.</li>
 * </ul>
 * Records arrive in each open shard at {@code writeRate} per second and a worker reads one shard at {@code readRate}
 * per second. A readable shard with records that no worker reads is <b>waiting</b>; the consumer sums that time for
 * the shards it was told the scaler has seen ({@link #seen}). Not thread-safe: one thread steps it.
 */
public final class SimKclConsumer {

    /** When KCL creates a child shard's lease. */
    public enum ChildLeases { AT_PARENT_END, WHEN_LISTED }

    /**
     * @param slotsPerWorker shards one worker reads at a time (what the ScaledObject's shardCount assumes)
     * @param readRate       records per second a worker reads from one shard
     * @param writeRate      records per second arriving in each open shard, by time
     * @param childLeases    when a child's lease is created
     * @param startBehind    seconds of records already waiting in each open shard at the first step
     * @param seed           for the choice of which lease moves when workers rebalance
     */
    public record Settings(int slotsPerWorker, double readRate, ToDoubleFunction<Instant> writeRate,
                           ChildLeases childLeases, double startBehind, long seed) {
    }

    private static final double EPSILON = 1e-9;

    private static final class Lease {
        final String shardId;
        final String parentShardId;
        final long startingSequence;
        String checkpoint = "TRIM_HORIZON";
        String owner;
        long counter = 1;

        Lease(SimShard shard) {
            this.shardId = shard.shardId();
            this.parentShardId = shard.parentShardId();
            this.startingSequence = shard.startingSequenceNumber();
        }

        boolean finished() {
            return "SHARD_END".equals(checkpoint);
        }
    }

    private final AwsState state;
    private final String streamTable;
    private final String leaseTable;
    private final Clock clock;
    private final IntSupplier workers;
    private final Settings settings;
    private final Random random;
    private final Map<String, Double> backlog = new HashMap<>();
    private final Map<String, Double> read = new HashMap<>();
    private final Map<String, Lease> leases = new TreeMap<>();
    /** Shards read to their end (their lease may since be deleted). */
    private final Set<String> finished = new HashSet<>();
    private final Set<String> seen = new HashSet<>();
    private final List<String> workerIds = new ArrayList<>();
    private final Map<String, Double> currentWait = new HashMap<>();
    private int nextWorker;
    private boolean started;
    private double waitingShardSeconds;
    private double longestWaitSeconds;
    private int waitingNow;

    public SimKclConsumer(AwsState state, String streamTable, String leaseTable, Clock clock, IntSupplier workers,
                          Settings settings) {
        this.state = state;
        this.streamTable = streamTable;
        this.leaseTable = leaseTable;
        this.clock = clock;
        this.workers = workers;
        this.settings = settings;
        this.random = new Random(settings.seed());
        if (state.findTable(leaseTable).isEmpty()) {
            state.createItemTable(leaseTable, "leaseKey");
        }
    }

    /** The scaler has listed these shards: from now on, time they spend waiting for a worker is counted. */
    public void seen(Collection<String> shardIds) {
        seen.addAll(shardIds);
    }

    /** Advances the fleet by {@code step}: records arrive, leases are synced and balanced, workers read. */
    public void step(Duration step) {
        double seconds = step.toNanos() / 1e9;
        Map<String, SimShard> listed = new LinkedHashMap<>();
        state.stream(streamTable).shards().forEach(s -> listed.put(s.shardId(), s));
        // Shards past DynamoDB's 24 h are gone with their records.
        backlog.keySet().retainAll(listed.keySet());
        read.keySet().retainAll(listed.keySet());
        finished.retainAll(listed.keySet());
        double rate = settings.writeRate().applyAsDouble(clock.instant());
        if (!started) {
            started = true;
            listed.values().stream().filter(SimShard::isOpen)
                    .forEach(s -> backlog.put(s.shardId(), rate * settings.startBehind()));
        }
        double writes = rate * seconds;
        for (SimShard s : listed.values()) {
            backlog.merge(s.shardId(), s.isOpen() ? writes : 0.0, Double::sum);
        }
        syncLeases(listed);
        balance();
        readShards(listed, seconds);
        cleanUp(listed);
        persist();
    }

    private void syncLeases(Map<String, SimShard> listed) {
        for (SimShard s : listed.values()) {
            if (leases.containsKey(s.shardId()) || finished.contains(s.shardId())) {
                continue;
            }
            boolean parentListed = s.parentShardId() != null && listed.containsKey(s.parentShardId());
            boolean create = settings.childLeases() == ChildLeases.WHEN_LISTED || !parentListed
                    || finished.contains(s.parentShardId());
            if (create) {
                leases.put(s.shardId(), new Lease(s));
            }
        }
    }

    private void balance() {
        int n = Math.max(0, workers.getAsInt());
        while (workerIds.size() < n) {
            workerIds.add(String.format("worker-%03d", nextWorker++));
        }
        while (workerIds.size() > n) {
            String gone = workerIds.remove(workerIds.size() - 1);
            leases.values().stream().filter(l -> gone.equals(l.owner)).forEach(l -> l.owner = null);
        }
        List<Lease> active = leases.values().stream().filter(l -> !l.finished()).toList();
        if (n == 0) {
            return;
        }
        Map<String, List<Lease>> held = new LinkedHashMap<>();
        workerIds.forEach(w -> held.put(w, new ArrayList<>()));
        for (Lease l : active) {
            if (l.owner != null) {
                held.get(l.owner).add(l);
            }
        }
        for (Lease l : active) {
            if (l.owner == null) {
                String least = leastLoaded(held);
                l.owner = least;
                l.counter++;
                held.get(least).add(l);
            }
        }
        while (true) {
            String most = held.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
            String least = leastLoaded(held);
            if (held.get(most).size() - held.get(least).size() <= 1) {
                break;
            }
            List<Lease> from = held.get(most);
            Lease moved = from.remove(random.nextInt(from.size()));
            moved.owner = least;
            moved.counter++;
            held.get(least).add(moved);
        }
    }

    private String leastLoaded(Map<String, List<Lease>> held) {
        int min = held.values().stream().mapToInt(List::size).min().orElse(0);
        List<String> candidates = held.entrySet().stream().filter(e -> e.getValue().size() == min).map(Map.Entry::getKey).toList();
        return candidates.get(random.nextInt(candidates.size()));
    }

    private void readShards(Map<String, SimShard> listed, double seconds) {
        Map<String, Integer> busy = new HashMap<>();
        Set<String> waitingNow = new HashSet<>();
        for (Lease l : leases.values()) { // in shard id order: parents before their children
            SimShard shard = listed.get(l.shardId);
            if (shard == null || l.finished() || blocked(l, listed)) {
                continue;
            }
            double left = backlog.getOrDefault(l.shardId, 0.0);
            boolean hasWork = left > EPSILON || !shard.isOpen();
            if (!hasWork) {
                continue;
            }
            int used = l.owner == null ? settings.slotsPerWorker() : busy.getOrDefault(l.owner, 0);
            if (used >= settings.slotsPerWorker()) {
                if (left > EPSILON) {
                    waitingNow.add(l.shardId);
                }
                continue;
            }
            busy.merge(l.owner, 1, Integer::sum);
            double taken = Math.min(left, settings.readRate() * seconds);
            backlog.put(l.shardId, left - taken);
            read.merge(l.shardId, taken, Double::sum);
            if (read.get(l.shardId) > EPSILON) {
                l.checkpoint = Long.toString(l.startingSequence + (long) Math.ceil(read.get(l.shardId)));
            }
            if (!shard.isOpen() && left - taken <= EPSILON) {
                l.checkpoint = "SHARD_END";
                finished.add(l.shardId);
            }
        }
        // A listed shard with records and no lease yet (or a blocked one) waits for its parent, not for a worker.
        for (String id : List.copyOf(currentWait.keySet())) {
            if (!waitingNow.contains(id)) {
                currentWait.remove(id);
            }
        }
        this.waitingNow = (int) waitingNow.stream().filter(seen::contains).count();
        for (String id : waitingNow) {
            if (seen.contains(id)) {
                waitingShardSeconds += seconds;
                double w = currentWait.merge(id, seconds, Double::sum);
                longestWaitSeconds = Math.max(longestWaitSeconds, w);
            }
        }
    }

    private boolean blocked(Lease l, Map<String, SimShard> listed) {
        return l.parentShardId != null && listed.containsKey(l.parentShardId) && !finished.contains(l.parentShardId);
    }

    private void cleanUp(Map<String, SimShard> listed) {
        List<String> deleted = new ArrayList<>();
        for (Lease l : leases.values()) {
            if (!listed.containsKey(l.shardId)) {
                deleted.add(l.shardId);
                continue;
            }
            if (!l.finished() || (l.parentShardId != null && leases.containsKey(l.parentShardId))) {
                continue;
            }
            List<SimShard> children = listed.values().stream().filter(c -> l.shardId.equals(c.parentShardId())).toList();
            boolean childrenStarted = !children.isEmpty() && children.stream().allMatch(c -> {
                Lease cl = leases.get(c.shardId());
                return cl != null && !"TRIM_HORIZON".equals(cl.checkpoint);
            });
            if (childrenStarted) {
                deleted.add(l.shardId);
            }
        }
        deleted.forEach(leases::remove);
    }

    private void persist() {
        Set<String> stored = new HashSet<>();
        for (var item : state.items(leaseTable)) {
            stored.add((String) item.get("leaseKey").get("S"));
        }
        for (Lease l : leases.values()) {
            Map<String, Map<String, Object>> item = new LinkedHashMap<>();
            item.put("leaseKey", Map.of("S", l.shardId));
            if (l.owner != null) {
                item.put("leaseOwner", Map.of("S", l.owner));
            }
            item.put("leaseCounter", Map.of("N", Long.toString(l.counter)));
            item.put("ownerSwitchesSinceCheckpoint", Map.of("N", "0"));
            item.put("checkpoint", Map.of("S", l.checkpoint));
            item.put("checkpointSubSequenceNumber", Map.of("N", "0"));
            if (l.parentShardId != null) {
                item.put("parentShardId", Map.of("SS", List.of(l.parentShardId)));
            }
            state.putItem(leaseTable, item);
            stored.remove(l.shardId);
        }
        stored.forEach(key -> state.deleteItem(leaseTable, key));
    }

    /** Shard-seconds that readable shards with records (seen by the scaler) spent without a worker to read them. */
    public double waitingShardSeconds() {
        return waitingShardSeconds;
    }

    /** Shards (seen by the scaler) that waited for a worker at the last step. */
    public int waitingNow() {
        return waitingNow;
    }

    /** Starts the waiting figures again (a measured period after a warm-up). */
    public void resetWaits() {
        waitingShardSeconds = 0;
        longestWaitSeconds = 0;
        currentWait.clear();
    }

    /** The longest any one such shard waited in a row. */
    public double longestWaitSeconds() {
        return longestWaitSeconds;
    }

    /** Records not yet read, over every listed shard. */
    public double backlog() {
        return backlog.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Workers the fleet runs now. */
    public int workerCount() {
        return workerIds.size();
    }
}
