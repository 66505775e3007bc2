package io.ddbstreamscaler.external;

import io.ddbstreamscaler.simulator.ManualClock;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.ExternalTriggerMetadata;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache's rules with a recording counter and a hand-run executor: what is shared, what is counted again. */
class ReadingCacheTest {

    static final Duration FRESHNESS = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock();
    final Queue<Runnable> pending = new ArrayDeque<>();
    final List<String> counted = new ArrayList<>();
    final Queue<RuntimeException> failures = new ArrayDeque<>();
    final ShardCounter recording = t -> {
        counted.add(t.tableName() + "@" + t.awsRegion() + "/" + t.auth().method());
        RuntimeException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        return new ShardReading("arn", "ENABLED", counted.size(), 1, counted.size() - 1, 1, 0);
    };
    final ReadingCache cache = new ReadingCache(recording, FRESHNESS, clock, pending::add);

    static TriggerConfig trigger(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("tableName", "orders", "awsRegion", "eu-west-1",
                "identityOwner", "operator"));
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return ExternalTriggerMetadata.fromExternalMetadata(m, "shop", "so");
    }

    void runPending() {
        while (!pending.isEmpty()) {
            pending.poll().run();
        }
    }

    @Test
    void requestsWhileACountIsUnderWayWaitForIt() {
        var first = cache.get(trigger());
        var second = cache.get(trigger("shardCount", "7")); // another ScaledObject, same table and identity
        runPending();
        assertFalse(first.hit());
        assertTrue(second.hit());
        assertSame(first.reading().join(), second.reading().join());
        assertEquals(1, counted.size());
    }

    static Stream<Arguments> ageRows() {
        return Stream.of(
                // name, clock advance after the first reading, counted again
                Arguments.of("just taken", Duration.ZERO, false),
                Arguments.of("a moment before the bound", FRESHNESS.minusMillis(1), false),
                Arguments.of("at the bound", FRESHNESS, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ageRows")
    void aReadingAnswersUntilItIsFreshnessOld(String name, Duration age, boolean countedAgain) {
        cache.get(trigger());
        runPending();
        clock.advance(age);
        var again = cache.get(trigger());
        runPending();
        assertEquals(!countedAgain, again.hit());
        assertEquals(countedAgain ? 2 : 1, counted.size());
    }

    static Stream<Arguments> keyRows() {
        return Stream.of(
                // name, a second trigger's metadata, shares the first's reading
                Arguments.of("other ScaledObject settings", new String[] {"activationShardCount", "4", "countClosedShards", "false"}, true),
                Arguments.of("other table", new String[] {"tableName", "payments"}, false),
                Arguments.of("other region", new String[] {"awsRegion", "us-east-1"}, false),
                Arguments.of("other endpoint", new String[] {"awsEndpoint", "http://127.0.0.1:4566"}, false),
                Arguments.of("other identity", new String[] {"awsRoleArn", "arn:aws:iam::111122223333:role/r"}, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyRows")
    void readingsAreKeptPerTableRegionEndpointAndIdentity(String name, String[] other, boolean shared) {
        cache.get(trigger());
        runPending();
        var second = cache.get(trigger(other));
        runPending();
        assertEquals(shared, second.hit());
        assertEquals(shared ? 1 : 2, counted.size());
    }

    @Test
    void aFailureAnswersItsWaitersAndIsNotKept() {
        failures.add(new ProbeException(ProbeException.Kind.THROTTLED, "throttled", 1, null));
        var first = cache.get(trigger());
        var waiter = cache.get(trigger());
        runPending();
        var e = assertThrows(CompletionException.class, () -> waiter.reading().join());
        var next = cache.get(trigger());
        runPending();
        assertTrue(first.reading().isCompletedExceptionally());
        assertEquals("throttled", e.getCause().getMessage());
        assertFalse(next.hit(), "the next request counts again");
        assertEquals(2, next.reading().join().shards().total());
    }

    @Test
    void readingsNobodyAsksForAreDroppedAfterTenIntervals() {
        cache.get(trigger());
        cache.get(trigger("tableName", "payments"));
        runPending();
        clock.advance(FRESHNESS.multipliedBy(ReadingCache.IDLE_INTERVALS - 1));
        cache.get(trigger("tableName", "payments")); // payments is asked for again, orders is not
        runPending();
        clock.advance(FRESHNESS.multipliedBy(2));
        cache.dropIdle();
        assertEquals(1, cache.size(), "orders went, payments (asked for 2 intervals ago) stayed");
    }
}
