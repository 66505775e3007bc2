package io.ddbstreamscaler.external;

import com.google.common.util.concurrent.ListenableFuture;
import io.ddbstreamscaler.external.proto.GetMetricSpecResponse;
import io.ddbstreamscaler.external.proto.GetMetricsResponse;
import io.ddbstreamscaler.external.proto.IsActiveResponse;
import io.ddbstreamscaler.external.proto.MetricSpec;
import io.ddbstreamscaler.external.proto.ScaledObjectRef;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.ddbstreamscaler.simulator.ManualClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.ddbstreamscaler.external.ExternalScalerFixture.SECRET;
import static io.ddbstreamscaler.external.ExternalScalerFixture.metrics;
import static io.ddbstreamscaler.external.ExternalScalerFixture.ref;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KEDA's external scaler API with a grpc-java client against the agent's counter and the AWS simulator. */
class ExternalScalerServerIT {

    static final Duration FRESHNESS = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock();
    ExternalScalerFixture f;

    ExternalScalerFixture start(Duration freshness, Clock c) throws Exception {
        f = new ExternalScalerFixture(freshness, c);
        return f;
    }

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    static Stream<Arguments> splitRows() {
        return Stream.of(
                // name, extra metadata, value with 1 open shard, value after one split (1 closed + 2 open)
                Arguments.of("total by default, as KEDA counts", new String[0], 1, 3),
                Arguments.of("countClosedShards: true", new String[] {"countClosedShards", "true"}, 1, 3),
                Arguments.of("open only with countClosedShards: false", new String[] {"countClosedShards", "false"}, 1, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splitRows")
    void theMetricFollowsShardSplitsOnceTheReadingIsStale(String name, String[] extra, long before, long after)
            throws Exception {
        start(FRESHNESS, clock).sim.state().createTable("orders", 1);
        ScaledObjectRef orders = ref("orders-consumer", f.metadata("orders", extra));
        assertEquals(before, f.value(orders));

        f.sim.state().split("orders", 1);
        long cached = f.value(orders);
        clock.advance(FRESHNESS);
        assertAll(
                () -> assertEquals(before, cached, "within the freshness bound the cached reading answers"),
                () -> assertEquals(after, f.value(orders), "a stale reading is counted again"),
                () -> assertEquals(2, f.sim.requests("DescribeStream").size(), "one round per fresh reading"));
    }

    @Test
    void getMetricsAnswersWithTheNameKedaAskedForAndBothValueFields() throws Exception {
        start(FRESHNESS, clock).sim.state().createTable("orders", 3);
        GetMetricsResponse r = f.blocking().getMetrics(metrics(ref("a", f.metadata("orders")),
                "aws-dynamodb-streams-orders"));
        assertAll(
                () -> assertEquals(1, r.getMetricValuesCount()),
                () -> assertEquals("aws-dynamodb-streams-orders", r.getMetricValues(0).getMetricName()),
                () -> assertEquals(3, r.getMetricValues(0).getMetricValue()),
                () -> assertEquals(3.0, r.getMetricValues(0).getMetricValueFloat()));
    }

    static Stream<Arguments> specRows() {
        return Stream.of(
                // name, table, shardCount metadata (null: unset), expected metric name (no s<i>- prefix), target
                Arguments.of("default target 2", "orders", null, "aws-dynamodb-streams-orders", 2),
                Arguments.of("shardCount 5", "orders", "5", "aws-dynamodb-streams-orders", 5),
                Arguments.of("KEDA's normalisation of . and :", "shop.orders:v2", "1", "aws-dynamodb-streams-shop-orders-v2", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specRows")
    void getMetricSpecGivesOneMetricWithTargetShardCountAndCallsNoAws(String name, String table, String shardCount,
                                                                        String metricName, long target) throws Exception {
        start(FRESHNESS, clock);
        GetMetricSpecResponse r = f.blocking().getMetricSpec(ref("a", f.metadata(table, "shardCount", shardCount)));
        MetricSpec spec = r.getMetricSpecs(0);
        assertAll(
                () -> assertEquals(1, r.getMetricSpecsCount()),
                () -> assertEquals(metricName, spec.getMetricName()),
                () -> assertEquals(target, spec.getTargetSize()),
                () -> assertEquals(target, spec.getTargetSizeFloat()),
                () -> assertEquals(List.of(), f.sim.requests()));
    }

    static Stream<Arguments> activationRows() {
        return Stream.of(
                // name, open shards (no splits: total = open), activationShardCount (null: default 0), active
                Arguments.of("1 shard > default 0", 1, null, true),
                Arguments.of("2 shards at threshold 2", 2, "2", false),
                Arguments.of("3 shards above threshold 2", 3, "2", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activationRows")
    void isActiveWhenTheCountExceedsActivationShardCount(String name, int shards, String activation, boolean active)
            throws Exception {
        start(FRESHNESS, clock).sim.state().createTable("orders", shards);
        assertEquals(active, f.blocking().isActive(ref("a", f.metadata("orders", "activationShardCount", activation)))
                .getResult());
    }

    @Test
    void isActiveFlipsWhenASplitCrossesTheThreshold() throws Exception {
        start(FRESHNESS, clock).sim.state().createTable("orders", 2);
        ScaledObjectRef orders = ref("a", f.metadata("orders", "activationShardCount", "2"));
        boolean before = f.blocking().isActive(orders).getResult();
        f.sim.state().split("orders", 1);
        clock.advance(FRESHNESS);
        assertAll(() -> assertFalse(before), () -> assertTrue(f.blocking().isActive(orders).getResult()));
    }

    @Test
    void streamIsActivePushesTheStateAtOnceThenTheChangeWithinAnInterval() throws Exception {
        // The system clock and a short interval: the stream's own schedule is what is under test.
        start(Duration.ofMillis(200), Clock.systemUTC()).sim.state().createTable("orders", 1);
        BlockingQueue<Boolean> received = new LinkedBlockingQueue<>();
        BlockingQueue<Throwable> ended = new LinkedBlockingQueue<>();
        f.async().streamIsActive(ref("a", f.metadata("orders", "activationShardCount", "2")), new StreamObserver<>() {
            public void onNext(IsActiveResponse r) {
                received.add(r.getResult());
            }

            public void onError(Throwable t) {
                ended.add(t);
            }

            public void onCompleted() {
                ended.add(new IllegalStateException("completed"));
            }
        });
        Boolean first = received.poll(20, TimeUnit.SECONDS);
        int roundsBeforeSplit = f.sim.requests("DescribeStream").size();
        f.sim.state().split("orders", 1); // 3 shards > 2
        Boolean second = received.poll(20, TimeUnit.SECONDS);
        // Several intervals with no change: nothing more is sent, yet the stream keeps reading.
        int rounds = f.sim.requests("DescribeStream").size();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> f.sim.requests("DescribeStream").size() >= rounds + 3);
        assertAll(
                () -> assertEquals(Boolean.FALSE, first, "the current state at once"),
                () -> assertEquals(1, roundsBeforeSplit, "one reading for the first message"),
                () -> assertEquals(Boolean.TRUE, second, "the change"),
                () -> assertEquals(List.of(), List.copyOf(received), "no repeats while nothing changes"),
                () -> assertNull(ended.peek(), "the stream stays open"));
    }

    @Test
    void streamMetricSpecSendsTheSpecAtOnce() throws Exception {
        start(FRESHNESS, clock);
        BlockingQueue<GetMetricSpecResponse> received = new LinkedBlockingQueue<>();
        f.async().streamMetricSpec(ref("a", f.metadata("orders", "shardCount", "4")), new StreamObserver<>() {
            public void onNext(GetMetricSpecResponse r) {
                received.add(r);
            }

            public void onError(Throwable t) {
            }

            public void onCompleted() {
            }
        });
        GetMetricSpecResponse spec = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(spec);
        assertEquals(4, spec.getMetricSpecs(0).getTargetSize());
    }

    static Stream<Arguments> badMetadataRows() {
        return Stream.of(
                // name, metadata changes, words the INVALID_ARGUMENT message must hold (field and value)
                Arguments.of("shardCount not a number", new String[] {"shardCount", "abc"},
                        List.of("metadata.shardCount", "\"abc\"")),
                Arguments.of("shardCount below 1", new String[] {"shardCount", "0"},
                        List.of("metadata.shardCount", "at least 1, got 0")),
                Arguments.of("activationShardCount negative", new String[] {"activationShardCount", "-1"},
                        List.of("metadata.activationShardCount", "got -1")),
                Arguments.of("countClosedShards not a boolean", new String[] {"countClosedShards", "maybe"},
                        List.of("metadata.countClosedShards", "\"maybe\"")),
                Arguments.of("identityOwner unknown", new String[] {"identityOwner", "robot"},
                        List.of("metadata.identityOwner", "\"robot\"")),
                Arguments.of("awsEndpoint not http", new String[] {"awsEndpoint", "ftp://x"},
                        List.of("metadata.awsEndpoint", "\"ftp://x\"")),
                Arguments.of("tableName missing", new String[] {"tableName", null},
                        List.of("metadata.tableName", "is required")),
                Arguments.of("awsRegion missing", new String[] {"awsRegion", null},
                        List.of("metadata.awsRegion", "is required")),
                Arguments.of("no identity at all", new String[] {"identityOwner", null},
                        List.of("metadata", "awsAccessKeyID not found", "awsRoleArn")),
                Arguments.of("a key id without its secret", new String[] {"identityOwner", null,
                        "awsAccessKeyIDFromEnv", "AKIDPOD00000000001"}, List.of("metadata", "awsSecretAccessKey not found")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMetadataRows")
    void badMetadataIsInvalidArgumentNamingTheFieldOnEveryMethod(String name, String[] changes, List<String> words)
            throws Exception {
        start(FRESHNESS, clock).sim.state().createTable("orders", 1);
        ScaledObjectRef bad = ref("orders-consumer", f.metadata("orders", changes));
        List<Function<ScaledObjectRef, Object>> calls = List.of(
                r -> f.blocking().getMetrics(metrics(r, "aws-dynamodb-streams-orders")),
                r -> f.blocking().isActive(r),
                r -> f.blocking().getMetricSpec(r),
                r -> f.blocking().streamIsActive(r).next());
        for (var call : calls) {
            var e = assertThrows(StatusRuntimeException.class, () -> call.apply(bad));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            String message = e.getStatus().getDescription();
            assertTrue(message.startsWith("ScaledObject shop/orders-consumer: "), message);
            words.forEach(w -> assertTrue(message.contains(w), () -> message + " lacks " + w));
        }
        assertEquals(List.of(), f.sim.requests(), "bad metadata never reaches AWS");
        assertEquals(4, f.counted("ddbstream.scaler.grpc.requests", "outcome", "invalid_argument"));
    }

    @Test
    void keysFromEnvArriveResolvedAreUsedAndNeverEchoed() throws Exception {
        start(FRESHNESS, clock).sim.state().createTable("orders", 2);
        String keyId = "AKIDPODKEY00000001";
        String secret = "podSecretValue/K7MDENG/bPxRfiCYPODKEY";
        Map<String, String> withKeys = f.metadata("orders", "identityOwner", null,
                "awsAccessKeyIDFromEnv", keyId, "awsSecretAccessKeyFromEnv", secret);
        long value = f.value(ref("a", withKeys));
        List<String> usedKeys = f.sim.requests().stream().map(LoggedRequest::accessKeyId).distinct().toList();

        withKeys.put("shardCount", "many");
        var invalid = assertThrows(StatusRuntimeException.class, () -> f.blocking().isActive(ref("a", withKeys)));
        f.sim.faults().rejectAccessKey(keyId);
        clock.advance(FRESHNESS);
        withKeys.remove("shardCount");
        var rejected = assertThrows(StatusRuntimeException.class, () -> f.value(ref("a", withKeys)));
        assertAll(
                () -> assertEquals(2, value),
                () -> assertEquals(List.of(keyId), usedKeys, "the pod's keys, not the agent's"),
                () -> assertEquals(Status.Code.UNAVAILABLE, rejected.getStatus().getCode()),
                () -> assertFalse(invalid.getStatus().getDescription().contains(secret)),
                () -> assertFalse(rejected.getStatus().getDescription().contains(secret)),
                () -> assertFalse(f.registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
                        .anyMatch(t -> t.getValue().contains(secret) || t.getValue().contains(keyId))));
    }

    @Test
    void anAwsFailureIsUnavailableWithTheProbesMessageNotAValue() throws Exception {
        start(FRESHNESS, clock);
        var e = assertThrows(StatusRuntimeException.class, () -> f.value(ref("a", f.metadata("missing"))));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("TABLE_NOT_FOUND: table missing not found in region us-east-1"),
                e.getStatus().getDescription());
        var active = assertThrows(StatusRuntimeException.class, () -> f.blocking().isActive(ref("a", f.metadata("missing"))));
        assertEquals(Status.Code.UNAVAILABLE, active.getStatus().getCode());
    }

    @Test
    void fourHundredConcurrentRequestsForTwentyScaledObjectsCostOneDescribeStreamRound() throws Exception {
        start(FRESHNESS, clock).sim.state().createTable("orders", 150); // two DescribeStream pages per round
        f.sim.faults().latency(Duration.ofMillis(300)); // the first count is still running when the rest arrive
        List<ListenableFuture<GetMetricsResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ScaledObjectRef ref = ref("consumer-" + (i % 20), f.metadata("orders", "shardCount", "" + (1 + i % 20)));
            calls.add(f.future().getMetrics(metrics(ref, "aws-dynamodb-streams-orders")));
        }
        List<Long> values = new ArrayList<>();
        for (var call : calls) {
            values.add(call.get(60, TimeUnit.SECONDS).getMetricValues(0).getMetricValue());
        }
        List<LoggedRequest> describeStream = f.sim.requests("DescribeStream");
        assertAll(
                () -> assertTrue(values.stream().allMatch(v -> v == 150), "every answer is the one count"),
                () -> assertEquals(2, describeStream.size(), "one round of two pages: " + describeStream),
                () -> assertEquals(1, f.sim.requests("DescribeTable").size()),
                () -> assertEquals(1, f.counted("ddbstream.scaler.grpc.cache", "result", "miss")),
                () -> assertEquals(399, f.counted("ddbstream.scaler.grpc.cache", "result", "hit")),
                () -> assertEquals(400, f.counted("ddbstream.scaler.grpc.requests", "outcome", "ok")));
    }
}
