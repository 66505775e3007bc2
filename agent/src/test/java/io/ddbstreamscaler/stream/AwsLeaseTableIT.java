package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.ManualClock;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.ddbstreamscaler.simulator.aws.SimShard;
import io.ddbstreamscaler.stream.ProbeException.Kind;
import io.ddbstreamscaler.stream.kcl.LeaseCount;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.KclLeaseTable;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ddbstreamscaler.stream.Triggers.keys;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease-aware count with the real SDK over HTTP against the simulator: DescribeStream for the shards, a paged,
 * projected Scan of the KCL lease table for the leases; every expectation checked on the simulator's request log.
 */
class AwsLeaseTableIT {

    static final String KEY = "AKIDSTATIC00000001";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final AwsAuth AUTH = keys(KEY, SECRET, null);

    final ManualClock clock = new ManualClock();
    AwsSimulator sim;
    AwsShardCounter counter;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        counter = new AwsShardCounter(ProbeOptions.defaults().withBudget(1000, 100)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withRetries(4, Duration.ofMillis(10), Duration.ofMillis(50))
                .withArnRefresh(Duration.ofMinutes(5), clock),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDAMBIENT0000001", SECRET)));
    }

    @AfterEach
    void stop() {
        counter.close();
        sim.close();
    }

    TriggerConfig leaseAware(int index, String leaseTable, URI leaseEndpoint) {
        return new TriggerConfig(index, "aws-dynamodb-stream", null, io.ddbstreamscaler.policy.MetricType.AVERAGE_VALUE,
                "orders", Triggers.REGION, sim.endpoint(), 2, 0, io.ddbstreamscaler.trigger.IdentityOwner.POD, true,
                "s" + index + "-aws-dynamodb-streams-orders", AUTH, new KclLeaseTable(leaseTable, leaseEndpoint));
    }

    /** A lease item with KCL's attributes (DynamoDBLeaseSerializer), KCL 3's throughputKBps included. */
    static Map<String, Map<String, Object>> lease(String shardId, String checkpoint, String owner) {
        Map<String, Map<String, Object>> item = new LinkedHashMap<>();
        item.put("leaseKey", Map.of("S", shardId));
        if (owner != null) {
            item.put("leaseOwner", Map.of("S", owner));
        }
        item.put("leaseCounter", Map.of("N", "3"));
        item.put("ownerSwitchesSinceCheckpoint", Map.of("N", "0"));
        item.put("checkpoint", Map.of("S", checkpoint));
        item.put("checkpointSubSequenceNumber", Map.of("N", "0"));
        item.put("throughputKBps", Map.of("N", "4.5"));
        return item;
    }

    @Test
    void countsTheShardsWithWorkLeftFromTheLeaseTable() {
        sim.state().createTable("orders", 2);
        List<SimShard> roots = sim.state().stream("orders").shards();
        sim.state().split("orders", 2); // both parents closed, four children
        sim.state().createItemTable("orders-app", "leaseKey");
        sim.state().putItem("orders-app", lease(roots.get(0).shardId(), "SHARD_END", "w1"));
        sim.state().putItem("orders-app", lease(roots.get(1).shardId(), "4900000000000000000001", "w2"));

        ShardReading r = counter.count(leaseAware(0, "orders-app", null));

        LeaseCount l = r.leases();
        List<LoggedRequest> scans = sim.requests("Scan");
        assertAll(
                () -> assertEquals(6, r.total()),
                () -> assertEquals(4, r.open()),
                () -> assertEquals(5, r.metricValue(true), "6 listed, 1 finished: the unfinished parent and 4 children"),
                () -> assertEquals(1, l.finished()),
                () -> assertEquals(2, l.waitingOnParent(), "the children of the unfinished parent"),
                () -> assertEquals(4, l.withoutLease(), "KCL leases children when their parent ends"),
                () -> assertEquals(Map.of("w2", 1), l.byWorker()),
                () -> assertEquals(1, scans.size()),
                () -> assertEquals("orders-app", scans.get(0).resource()),
                () -> assertEquals(1000, scans.get(0).limit()),
                () -> assertEquals(1 + 1 + 1, r.awsCalls(), "DescribeTable, one DescribeStream page, one Scan"));
    }

    @Test
    void pagesFollowLastEvaluatedKey() {
        sim.state().createTable("orders", 1);
        sim.state().createItemTable("orders-app", "leaseKey");
        for (int i = 0; i < 2500; i++) {
            sim.state().putItem("orders-app", lease(String.format("shardId-gone-%05d", i), "SHARD_END", null));
        }

        ShardReading r = counter.count(leaseAware(0, "orders-app", null));

        assertAll(
                () -> assertEquals(3, sim.requests("Scan").size(), "1000 + 1000 + 500"),
                () -> assertEquals(2500, r.leases().leasesRead()),
                () -> assertEquals(2500, r.leases().unlistedLeases(), "leases of shards no longer listed: not counted"),
                () -> assertEquals(1, r.metricValue(true)));
    }

    @Test
    void oneScanPerIntervalPerTableWhateverTheNumberOfTriggers() {
        sim.state().createTable("orders", 4);
        sim.state().createItemTable("orders-app", "leaseKey");
        List<TriggerConfig> triggers = List.of(leaseAware(0, "orders-app", null), leaseAware(1, "orders-app", null),
                leaseAware(2, "orders-app", null));

        // Ten 30 s intervals; the three triggers poll 5 s apart.
        for (int interval = 0; interval < 10; interval++) {
            for (TriggerConfig t : triggers) {
                counter.count(t);
                clock.advance(Duration.ofSeconds(5));
            }
            clock.advance(Duration.ofSeconds(15));
        }

        assertEquals(3 + 9, sim.requests("Scan").size(), "a trigger's first read is its own, then one per interval");
        assertEquals(30, sim.requests("DescribeStream").size(), "the shards are listed on every poll");
    }

    @Test
    void aLeaseTableAtAnEndpointOfItsOwn() {
        try (AwsSimulator leases = AwsSimulator.start()) {
            sim.state().createTable("orders", 1);
            leases.state().createItemTable("orders-app", "leaseKey");
            String shard = sim.state().stream("orders").shards().get(0).shardId();
            leases.state().putItem("orders-app", lease(shard, "4900000000000000000001", "w1"));

            ShardReading r = counter.count(leaseAware(0, "orders-app", leases.endpoint()));
            counter.retainOnly(List.of(leaseAware(0, "orders-app", leases.endpoint())));

            assertAll(
                    () -> assertEquals(Map.of("w1", 1), r.leases().byWorker()),
                    () -> assertEquals(0, sim.requests("Scan").size()),
                    () -> assertEquals(1, leases.requests("Scan").size()),
                    () -> assertEquals(2, counter.clientCount(), "the table's clients and the lease table's, both kept"));
        }
    }

    @Test
    void throttledScansAreRetriedWithBackoff() {
        sim.state().createTable("orders", 1);
        sim.state().createItemTable("orders-app", "leaseKey");
        sim.faults().failNext("Scan", 2, 400, "ProvisionedThroughputExceededException");

        ShardReading r = counter.count(leaseAware(0, "orders-app", null));

        assertAll(
                () -> assertEquals(1, r.metricValue(true)),
                () -> assertEquals(3, sim.requests("Scan").size()),
                () -> assertEquals(1 + 1 + 3, r.awsCalls()));
    }

    interface Setup {
        void apply(AwsSimulator sim);
    }

    static Stream<Arguments> failureRows() {
        return Stream.of(
                // name, setup (the stream table exists), kind, message
                Arguments.of("missing lease table: an error, never a silent fallback", (Setup) s -> { },
                        Kind.TABLE_NOT_FOUND, "KCL lease table orders-app not found in region us-east-1: check"
                                + " kclLeaseTable (the consumer's lease table, named after its KCL application) and"
                                + " kclLeaseTableEndpoint"),
                Arguments.of("Scan denied by policy", (Setup) s -> {
                    s.state().createItemTable("orders-app", "leaseKey");
                    s.faults().failNext("Scan", 1, 400, "AccessDeniedException");
                }, Kind.ACCESS_DENIED, "Scan of KCL lease table orders-app in us-east-1: access denied for static keys"
                        + " (AccessDeniedException, HTTP 400): grant dynamodb:Scan on"
                        + " arn:aws:dynamodb:us-east-1:<account>:table/orders-app (docs/iam-policy.json"),
                Arguments.of("a table that holds no leases", (Setup) s -> {
                    s.state().createItemTable("orders-app", "id");
                    s.state().putItem("orders-app", Map.of("id", Map.of("S", "order-1")));
                }, Kind.INVALID_CONFIG, "Scan of KCL lease table orders-app in us-east-1: its items have no leaseKey:"
                        + " it is not a KCL lease table; check kclLeaseTable"),
                Arguments.of("throttled beyond the attempts", (Setup) s -> {
                    s.state().createItemTable("orders-app", "leaseKey");
                    s.faults().failNext("Scan", 10, 400, "ProvisionedThroughputExceededException");
                }, Kind.THROTTLED, "Scan of KCL lease table orders-app in us-east-1: throttled after 4 attempts"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failureRows")
    void failuresAreTypedAndNameTheLeaseTable(String name, Setup setup, Kind kind, String message) {
        sim.state().createTable("orders", 1);
        setup.apply(sim);

        ProbeException e = assertThrows(ProbeException.class, () -> counter.count(leaseAware(0, "orders-app", null)));

        assertAll(
                () -> assertEquals(kind, e.kind()),
                () -> assertTrue(e.getMessage().contains(message), e::getMessage),
                () -> assertTrue(e.awsCalls() >= 3, "DescribeTable, DescribeStream and the Scan: " + e.awsCalls()));
    }

    @Test
    void aFailedLeaseReadIsNotKept() {
        sim.state().createTable("orders", 1);
        TriggerConfig t = leaseAware(0, "orders-app", null);
        assertThrows(ProbeException.class, () -> counter.count(t));
        sim.state().createItemTable("orders-app", "leaseKey");
        clock.advance(Duration.ofSeconds(30));

        ShardReading r = counter.count(t);

        assertEquals(0, r.leases().leasesRead());
        assertEquals(1, counter.cachedLeaseTableCount());
        counter.retainOnly(List.of());
        assertEquals(0, counter.cachedLeaseTableCount());
    }

    @Test
    void withoutALeaseTableNothingIsScanned() {
        sim.state().createTable("orders", 3);

        ShardReading r = counter.count(Triggers.trigger("orders", sim.endpoint(), AUTH, true));

        assertNull(r.leases());
        assertEquals(0, sim.requests("Scan").size());
    }
}
