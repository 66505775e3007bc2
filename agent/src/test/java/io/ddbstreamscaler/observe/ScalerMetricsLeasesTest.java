package io.ddbstreamscaler.observe;

import io.ddbstreamscaler.stream.kcl.LeaseCount;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The series of a kclLeaseTable trigger: finished shards, leases per worker (bounded, gone workers removed). */
class ScalerMetricsLeasesTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ScalerMetrics metrics = new ScalerMetrics(registry);
    final Tags trigger = ScalerMetrics.triggerTags("shop", "orders", 0, "s0-aws-dynamodb-streams-orders");

    static LeaseCount leases(int finished, Map<String, Integer> byWorker, int unowned) {
        int work = byWorker.values().stream().mapToInt(Integer::intValue).sum() + unowned;
        return new LeaseCount("orders-app", work, finished, 0, 0, 0, 0, work + finished, byWorker, unowned, 0);
    }

    /** worker label -> value of ddbstream.scaler.kcl.leases. */
    Map<String, Double> perWorker() {
        Map<String, Double> m = new TreeMap<>();
        registry.find("ddbstream.scaler.kcl.leases").gauges().forEach(g -> m.put(g.getId().getTag("worker"), g.value()));
        return m;
    }

    double gauge(String name, Tags tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void finishedShardsAndLeasesPerWorker() {
        metrics.recordLeases(trigger, leases(7, Map.of("pod-a", 3, "pod-b", 1), 1));

        assertAll(
                () -> assertEquals(7, gauge("ddbstream.scaler.shards", trigger.and("state", "finished"))),
                () -> assertEquals(Map.of("(none)", 1.0, "pod-a", 3.0, "pod-b", 1.0), perWorker()),
                () -> assertEquals(3, gauge("ddbstream.scaler.kcl.leases.max.per.worker", trigger)),
                () -> assertEquals(2, gauge("ddbstream.scaler.kcl.workers", trigger)));
    }

    @Test
    void aWorkerThatHoldsNoMoreLeasesLosesItsSeries() {
        metrics.recordLeases(trigger, leases(0, Map.of("pod-a", 2, "pod-b", 2), 0));
        metrics.recordLeases(trigger, leases(0, Map.of("pod-c", 2, "pod-b", 2), 0));

        assertEquals(Map.of("pod-b", 2.0, "pod-c", 2.0), perWorker());
    }

    @Test
    void aScaledObjectThatGoesTakesItsLeaseSeriesWithIt() {
        metrics.recordLeases(trigger, leases(1, Map.of("pod-a", 2), 0));

        metrics.removeScaledObject("shop", "orders");
        metrics.recordLeases(trigger, leases(1, Map.of("pod-b", 1), 0));

        assertEquals(Map.of("pod-b", 1.0), perWorker());
        assertTrue(registry.getMeters().stream().map(Meter::getId).noneMatch(id -> "pod-a".equals(id.getTag("worker"))));
    }
}
