package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.ship.MonitoringFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every series an alert rule or a dashboard panel of k8s/components/monitoring reads is one the agent serves: the real
 * agent against both simulators, driven through what the alerts watch (a scale-up, a failing probe with its fallback
 * and a refused write, a trigger file that does not load), then its Prometheus registry scraped as
 * {@code /observe/metrics} serves it. Names only: which label values appear depends on what happened.
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
            // And a trigger file that does not load: counted, the others run.
            h.writeTriggers("zz-broken.yaml", "kind: ScaledObject\nspec: [unclosed\n");

            ScalerAgent agent = h.start(h.options(false, true, "agent-a"));
            h.aws.state().split("orders", 2); // 2 closed + 4 open shards at 2 per replica: 3 replicas
            await().atMost(BOUND).until(() -> Integer.valueOf(3).equals(h.replicas("Deployment", "consumer")));
            await().atMost(BOUND).until(() -> AgentHarness.counter(agent, "keda.scaled.object.errors") >= 2);
            assertTrue(AgentHarness.counter(agent, "ddbstream.scaler.config.errors", "kind", "triggers") >= 1,
                    "the broken trigger file is counted");

            // Series that appear on a later poll get a few more; then whatever is missing is missing.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            Set<String> missing = missing(wanted, agent.registry().scrape());
            while (!missing.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
                missing = missing(wanted, agent.registry().scrape());
            }
            assertEquals(Set.of(), missing, "named by an alert or a panel (k8s/components/monitoring) but not served");
        }
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
