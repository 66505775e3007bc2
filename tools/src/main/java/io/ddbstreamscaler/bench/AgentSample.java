package io.ddbstreamscaler.bench;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One look at a running agent: what Linux says (RSS, threads, CPU) and what the JVM says on /observe/metrics
 * (heap used, metaspace, code cache: Micrometer's jvm_memory_used_bytes, bound by camel.metrics.binders=jvm-memory).
 *
 * @param at         since the process started
 * @param proc       /proc/<pid>/status and stat
 * @param metrics    the Prometheus page, empty when the management server did not answer
 */
public record AgentSample(Duration at, ProcStatus proc, Optional<PrometheusText> metrics) {

    public static AgentSample take(ExternalAgent agent) throws IOException {
        return take(agent, true);
    }

    /** @param withMetrics false to spare a big agent the scrape (1,000 ScaledObjects make a long page) */
    public static AgentSample take(ExternalAgent agent, boolean withMetrics) throws IOException {
        return new AgentSample(Duration.between(agent.startedAt(), Instant.now()), agent.status(),
                withMetrics ? agent.metrics() : Optional.empty());
    }

    /** jvm_memory_used_bytes summed over an area (heap, nonheap) or one pool id (Metaspace, CodeCache…). */
    public Optional<Double> memoryUsedMiB(String label, String value) {
        return metrics.map(m -> m.sum("jvm_memory_used_bytes", Map.of(label, value)) / (1024.0 * 1024.0));
    }

    public double cpuSeconds() {
        return ClockTicks.seconds(proc.cpuTicks());
    }

    /** e.g. " 60 s  RSS 118.2 MiB  heap 21.4 MiB  threads 41  CPU 3.10 s". */
    public String line() {
        return String.format("%5d s  RSS %6.1f MiB  heap %s  threads %4d  CPU %7.2f s", at.toSeconds(), proc.rssMiB(),
                memoryUsedMiB("area", "heap").map(h -> String.format("%5.1f MiB", h)).orElse("    ?    "),
                proc.threads(), cpuSeconds());
    }
}
