package io.ddbstreamscaler.simulator;

import io.ddbstreamscaler.simulator.aws.AwsState;
import io.ddbstreamscaler.simulator.aws.SimKclConsumer;
import io.ddbstreamscaler.simulator.aws.SimKclConsumer.ChildLeases;
import io.ddbstreamscaler.simulator.aws.SimShard;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated KCL fleet writes its lease table the way KCL does, step by step. */
class SimKclConsumerTest {

    final ManualClock clock = new ManualClock();
    final AwsState state = new AwsState(clock, "us-east-1", AwsSimulator.RETENTION);
    final AtomicInteger workers = new AtomicInteger(1);

    /** 10 records/s arrive in each open shard; a worker reads 20/s from each of 2 shards. */
    SimKclConsumer consumer(ChildLeases childLeases, double startBehind) {
        return new SimKclConsumer(state, "orders", "orders-app", clock, workers::get,
                new SimKclConsumer.Settings(2, 20, t -> 10, childLeases, startBehind, 7));
    }

    void run(SimKclConsumer c, int seconds) {
        for (int i = 0; i < seconds; i++) {
            clock.advance(Duration.ofSeconds(1));
            c.step(Duration.ofSeconds(1));
        }
    }

    /** leaseKey -> checkpoint, as a Scan would show the table. */
    Map<String, String> checkpoints() {
        return state.items("orders-app").stream().collect(Collectors.toMap(i -> (String) i.get("leaseKey").get("S"),
                i -> (String) i.get("checkpoint").get("S"), (a, b) -> a, TreeMap::new));
    }

    @Test
    void aParentDrainsToShardEndThenItsChildrenAreLeasedAndItsLeaseDeleted() {
        state.createTable("orders", 1);
        SimKclConsumer c = consumer(ChildLeases.AT_PARENT_END, 30); // 300 records behind
        run(c, 1);
        String parent = state.stream("orders").shards().get(0).shardId();
        List<SimShard> children = state.split("orders", 1);

        run(c, 5);
        Map<String, String> draining = checkpoints();
        run(c, 20); // 300 + 10 records at 20/s: SHARD_END after about 16 s
        Map<String, String> afterDrain = checkpoints();

        assertAll(
                () -> assertEquals(List.of(parent), List.copyOf(draining.keySet()), "no child lease while the parent drains"),
                () -> assertTrue(draining.get(parent).matches("\\d+"), draining::toString),
                () -> assertFalse(afterDrain.containsKey(parent), "deleted once both children started: " + afterDrain),
                () -> assertTrue(children.stream().allMatch(ch -> afterDrain.containsKey(ch.shardId())), afterDrain::toString),
                () -> assertEquals(0.0, c.waitingShardSeconds()));
    }

    @Test
    void leasesOfChildrenListedAtOnceWhenTheShardSyncIsEager() {
        state.createTable("orders", 1);
        SimKclConsumer c = consumer(ChildLeases.WHEN_LISTED, 30);
        run(c, 1);
        state.split("orders", 1);

        run(c, 2);

        assertEquals(3, checkpoints().size(), checkpoints()::toString);
        assertEquals(2, checkpoints().values().stream().filter("TRIM_HORIZON"::equals).count(), "children wait for the parent");
    }

    @Test
    void workersBalanceLeasesByCountAndEachReadsAtMostItsSlots() {
        state.createTable("orders", 6);
        workers.set(2);
        SimKclConsumer c = consumer(ChildLeases.AT_PARENT_END, 0);
        c.seen(state.stream("orders").shards().stream().map(SimShard::shardId).toList());

        run(c, 10);

        Map<String, Long> perWorker = state.items("orders-app").stream()
                .collect(Collectors.groupingBy(i -> (String) i.get("leaseOwner").get("S"), Collectors.counting()));
        assertAll(
                () -> assertEquals(Map.of("worker-000", 3L, "worker-001", 3L), perWorker),
                // 6 open shards, 2 workers of 2 slots: 2 shards wait at every step.
                () -> assertEquals(2 * 10.0, c.waitingShardSeconds(), 1e-6),
                () -> assertEquals(10.0, c.longestWaitSeconds(), 1e-6));
    }

    @Test
    void aWorkerThatGoesLeavesItsLeasesToTheOthers() {
        state.createTable("orders", 4);
        workers.set(2);
        SimKclConsumer c = consumer(ChildLeases.AT_PARENT_END, 0);
        run(c, 2);
        workers.set(1);

        run(c, 1);

        assertTrue(state.items("orders-app").stream().allMatch(i -> "worker-000".equals(i.get("leaseOwner").get("S"))));
        assertEquals(1, c.workerCount());
    }

    @Test
    void onlyShardsTheScalerHasSeenCountAsWaiting() {
        state.createTable("orders", 2);
        workers.set(0);
        SimKclConsumer c = consumer(ChildLeases.AT_PARENT_END, 0);

        run(c, 5);
        double unseen = c.waitingShardSeconds();
        c.seen(state.stream("orders").shards().stream().map(SimShard::shardId).toList());
        run(c, 5);

        assertEquals(0.0, unseen);
        assertEquals(10.0, c.waitingShardSeconds(), 1e-6, "no worker at all: both shards wait");
    }
}
