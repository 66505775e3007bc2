package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.ship.MonitoringFiles;
import io.ddbstreamscaler.ship.PromQl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every series an alert rule or a dashboard panel of k8s/components/monitoring reads is one the agent serves: the real
 * agent against both simulators, driven through what the alerts watch (a scale-up, a failing probe with its fallback
 * and a refused write, two throttled AWS calls, a trigger file that does not load), then its Prometheus registry
 * scraped as {@code /observe/metrics} serves it. Every metric name, and every exact label value an expression selects
 * ({@code outcome="failure"}, {@code reason="Fallback"}, ...): the scenario produces each of them.
 */
class ServedSeriesIT {

    static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void everySeriesTheAlertsAndTheDashboardReadIsServed(@TempDir Path dir) throws Exception {
        Set<String> wanted = MonitoringFiles.seriesNames();
        assertTrue(wanted.size() >= 15, "the rules and the dashboard read at least 15 series: " + wanted);

        try (AgentHarness h = new AgentHarness(dir)) {
            h.aws.state().createTable("orders", 2);
            h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
            h.kube.createDeployment(AgentHarness.NS, "guarded", 1, Map.of("app", "guarded"));
            // Election on, as the overlays run it: the agent's own pod is a Running, Ready candidate.
            h.kube.createPod(AgentHarness.NS, "agent-a", Map.of("app.kubernetes.io/part-of", "ddbstream-scaler"), null);
            // One ScaledObject that scales up; one on a table that does not exist: probe errors, then the fallback,
            // whose write the API server refuses.
            h.writeTriggers("orders.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, ""));
            h.writeTriggers("missing.yaml", h.scaledObject("missing-table", "no-such-table", "Deployment", "guarded", 2,
                    "  fallback: {failureThreshold: 1, replicas: 3}\n"));
            h.kube.dispatcher().inject("PUT", ".*/deployments/guarded/scale", 403, -1);
            // Two throttled DescribeStream calls: the first poll of orders fails on them, the next ones succeed.
            h.aws.faults().failNext("DescribeStream", 2, 400, "ThrottlingException");
            // And a trigger file that does not load: counted, the others run.
            h.writeTriggers("zz-broken.yaml", "kind: ScaledObject\nspec: [unclosed\n");

            ScalerAgent agent = h.start(h.options(false, true, "agent-a"));
            h.aws.state().split("orders", 2); // 2 closed + 4 open shards at 2 per replica: 3 replicas
            await().atMost(BOUND).until(() -> Integer.valueOf(3).equals(h.replicas("Deployment", "consumer")));
            // Summed over the ScaledObjects: find(...).counter() would pick one of the two series at random.
            await().atMost(BOUND).until(() -> agent.registry().find("keda.scaled.object.errors").counters().stream()
                    .mapToDouble(io.micrometer.core.instrument.Counter::count).sum() >= 2);
            assertTrue(AgentHarness.counter(agent, "ddbstream.scaler.config.errors", "kind", "triggers") >= 1,
                    "the broken trigger file is counted");

            // Series that appear on a later poll get a few more seconds; then whatever is missing is missing.
            Set<PromQl.LabelMatch> selected = MonitoringFiles.labelMatches();
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    String scrape = agent.registry().scrape();
                    return missing(wanted, scrape).isEmpty() && unmatched(selected, scrape).isEmpty();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // what is missing is named below
            }
            String served = agent.registry().scrape();
            assertAll(
                    () -> assertEquals(Set.of(), missing(wanted, served),
                            "named by an alert or a panel (k8s/components/monitoring) but not served"),
                    // An alert on a label value the agent never exports would never fire.
                    () -> assertEquals(Set.of(), unmatched(selected, served),
                            "label values an alert or a panel selects but no served series carries"));
        }
    }

    /** The exact label matches no sample line carries (the scenario above produces each of them). */
    static Set<String> unmatched(Set<PromQl.LabelMatch> selected, String exposition) {
        Set<String> unmatched = new TreeSet<>();
        for (PromQl.LabelMatch m : selected) {
            String label = m.label() + "=\"" + m.value() + "\"";
            boolean found = exposition.lines().anyMatch(line -> line.startsWith(m.metric() + "{")
                    && (line.contains("{" + label) || line.contains("," + label)));
            if (!found) {
                unmatched.add(m.toString());
            }
        }
        return unmatched;
    }

    /** The names in {@code wanted} that no sample line of the Prometheus text exposition carries. */
    static Set<String> missing(Set<String> wanted, String exposition) {
        Set<String> served = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            served.add(line.substring(0, end));
        }
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(served);
        return missing;
    }
}
