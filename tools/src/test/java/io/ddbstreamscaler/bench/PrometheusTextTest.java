package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrometheusTextTest {

    static final String PAGE = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="Eden Space"} 1048576.0
            jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 2097152.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 6.5E7
            ddbstream_scaler_decisions_total{namespace="bench",reason="ScaleUp",scaledObject="so-0001"} 3.0
            ddbstream_scaler_decisions_total{namespace="bench",reason="WithinTolerance",scaledObject="so-0001"} 4.0 1700000000000
            process_uptime_seconds 12.5
            not a sample line
            """;

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, metric, labels to match, sum
                Arguments.of("heap: two pools summed", "jvm_memory_used_bytes", Map.of("area", "heap"), 3145728.0),
                Arguments.of("one pool by id", "jvm_memory_used_bytes", Map.of("id", "Metaspace"), 6.5e7),
                Arguments.of("counter over reasons, timestamp ignored", "ddbstream_scaler_decisions_total", Map.of(), 7.0),
                Arguments.of("no labels at all", "process_uptime_seconds", Map.of(), 12.5),
                Arguments.of("nothing matches: zero", "jvm_memory_used_bytes", Map.of("area", "offheap"), 0.0),
                Arguments.of("unknown metric: zero", "keda_scaler_detail_errors_total", Map.of(), 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void sumsMatchingSamples(String name, String metric, Map<String, String> labels, double sum) {
        assertEquals(sum, PrometheusText.parse(PAGE).sum(metric, labels), 1e-9);
    }
}
