package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatsTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, values, min, median, max
                Arguments.of("one value", List.of(4.0), 4.0, 4.0, 4.0),
                Arguments.of("odd count, unsorted", List.of(5.0, 1.0, 3.0), 1.0, 3.0, 5.0),
                Arguments.of("even count: mean of the middle two", List.of(6.0, 1.0, 2.0, 4.0), 1.0, 3.0, 6.0),
                Arguments.of("repeated values", List.of(2.0, 2.0, 9.0), 2.0, 2.0, 9.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void minMedianMax(String name, List<Double> values, double min, double median, double max) {
        assertEquals(new Stats(values.size(), min, median, max), Stats.of(values));
    }
}
