package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.simulator.ManualClock;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamArnCacheTest {

    static final StreamArnCache.TableKey ORDERS = new StreamArnCache.TableKey(
            new AwsClientCache.ClientKey("us-east-1", null, "operator"), "orders");
    static final StreamArnCache.TableKey ORDERS_EU = new StreamArnCache.TableKey(
            new AwsClientCache.ClientKey("eu-west-1", null, "operator"), "orders");

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, what happens after put(ORDERS, "arn-1") with a 5 min refresh, key asked, expected
                Arguments.of("fresh entry is served", step((c, k) -> k.advance(Duration.ofMinutes(4))), ORDERS,
                        Optional.of("arn-1")),
                Arguments.of("stale after the refresh period", step((c, k) -> k.advance(Duration.ofMinutes(5))),
                        ORDERS, Optional.empty()),
                Arguments.of("invalidated when the stream is gone", step((c, k) -> c.invalidate(ORDERS)), ORDERS,
                        Optional.empty()),
                Arguments.of("same table name in another region is another table", step((c, k) -> { }), ORDERS_EU,
                        Optional.empty()),
                Arguments.of("a new put restarts the period", step((c, k) -> {
                    k.advance(Duration.ofMinutes(4));
                    c.put(ORDERS, "arn-2");
                    k.advance(Duration.ofMinutes(4));
                }), ORDERS, Optional.of("arn-2")));
    }

    static BiConsumer<StreamArnCache, ManualClock> step(BiConsumer<StreamArnCache, ManualClock> s) {
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void cachesUntilStaleOrInvalidated(String name, BiConsumer<StreamArnCache, ManualClock> then,
                                       StreamArnCache.TableKey asked, Optional<String> expected) {
        ManualClock clock = new ManualClock();
        StreamArnCache cache = new StreamArnCache(Duration.ofMinutes(5), clock);
        cache.put(ORDERS, "arn-1");

        then.accept(cache, clock);

        assertEquals(expected, cache.get(asked));
    }
}
