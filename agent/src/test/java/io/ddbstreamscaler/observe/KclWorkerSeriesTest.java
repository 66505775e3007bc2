package io.ddbstreamscaler.observe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The worker label of ddbstream_scaler_kcl_leases stays bounded however many workers come and go. */
class KclWorkerSeriesTest {

    static Map<String, Integer> ordered(Object... labelCount) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < labelCount.length; i += 2) {
            m.put((String) labelCount[i], (Integer) labelCount[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, leases by worker, unowned, at most, series (label -> leases, in order)
                Arguments.of("busiest first, ties by id", Map.of("b", 2, "a", 2, "c", 5), 0, 20,
                        ordered("c", 5, "a", 2, "b", 2)),
                Arguments.of("leases nobody holds", Map.of("a", 1), 3, 20, ordered("a", 1, "(none)", 3)),
                Arguments.of("no worker, no series", Map.of(), 0, 20, ordered()),
                Arguments.of("beyond the bound: summed under (other)", Map.of("a", 4, "b", 3, "c", 2, "d", 1), 0, 2,
                        ordered("a", 4, "b", 3, "(other)", 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void series(String name, Map<String, Integer> byWorker, int unowned, int max, Map<String, Integer> expected) {
        Map<String, Integer> series = KclWorkerSeries.of(byWorker, unowned, max);

        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(series.entrySet()));
    }

    @org.junit.jupiter.api.Test
    void thirtyWorkersMakeTwentyOneSeries() {
        Map<String, Integer> byWorker = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            byWorker.put(String.format("worker-%02d", i), i < 5 ? 3 : 1);
        }

        Map<String, Integer> series = KclWorkerSeries.of(byWorker, 0, KclWorkerSeries.MAX_WORKERS);

        assertEquals(21, series.size());
        assertEquals(10, series.get("(other)"), "the 10 least busy workers, one lease each");
        assertEquals(List.of(3, 3, 3, 3, 3), new ArrayList<>(series.values()).subList(0, 5));
    }
}
