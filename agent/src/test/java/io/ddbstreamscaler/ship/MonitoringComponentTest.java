package io.ddbstreamscaler.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/**
 * k8s/components/monitoring added to each overlay (as docs/deploy.md shows): the PodMonitor scrapes the agent's named
 * management port, the PrometheusRule is the plain rules file promtool tests, the dashboard ships in a ConfigMap.
 */
class MonitoringComponentTest {

    static final String COMPONENT = "monitoring";
    static final Set<String> ADDED = Set.of("PodMonitor ddbstream-scaler", "PrometheusRule ddbstream-scaler",
            "ConfigMap ddbstream-scaler-dashboard");

    @ParameterizedTest(name = "{0}: the overlay's objects plus the PodMonitor, PrometheusRule and dashboard, in keda-test")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void addsExactlyTheMonitoringObjects(String overlay) {
        List<HasMetadata> objects = Manifests.renderWithComponent(overlay, COMPONENT);
        Set<String> expected = new HashSet<>(Manifests.names(Manifests.render(overlay)));
        expected.addAll(ADDED);

        assertEquals(expected, Set.copyOf(Manifests.names(objects)));
        assertTrue(objects.stream().allMatch(o -> "keda-test".equals(o.getMetadata().getNamespace())),
                "every object in the overlay's namespace");
    }

    @ParameterizedTest(name = "{0}: the PodMonitor selects the agent's pods and scrapes /observe/metrics on its named port")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void podMonitorScrapesTheAgentsManagementPort(String overlay) {
        List<HasMetadata> objects = Manifests.renderWithComponent(overlay, COMPONENT);
        Map<String, Object> spec = spec(Manifests.only(objects, GenericKubernetesResource.class, "ddbstream-scaler", "PodMonitor"));
        Map<String, String> selector = at(spec, "selector", "matchLabels");
        List<Map<String, Object>> endpoints = at(spec, "podMetricsEndpoints");
        assertEquals(1, endpoints.size());
        Map<String, Object> endpoint = endpoints.get(0);
        assertEquals("/observe/metrics", endpoint.get("path"));
        assertEquals(Boolean.TRUE, endpoint.get("honorLabels"), "KEDA's namespace label (the ScaledObject's) must survive");
        String port = (String) endpoint.get("port");

        if (overlay.equals("camel-k")) {
            GenericKubernetesResource integration = Manifests.only(objects, GenericKubernetesResource.class,
                    "ddbstream-scaler", "Integration");
            Map<String, Object> traits = at(integration.getAdditionalProperties(), "spec", "traits");
            assertEquals(port, at(traits, "container", "portName"), "the Integration's container port name");
            List<String> copied = at(traits, "owner", "targetLabels");
            assertTrue(copied.containsAll(selector.keySet()), "the owner trait copies the selector's labels to the pods");
            assertTrue(integration.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                    "the Integration carries the selector's labels: " + integration.getMetadata().getLabels());
            return;
        }
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        assertTrue(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                "the pods carry the selector's labels");
        List<String> containersWithPort = new ArrayList<>();
        for (Container c : deployment.getSpec().getTemplate().getSpec().getContainers()) {
            for (ContainerPort p : c.getPorts()) {
                if (port.equals(p.getName())) {
                    containersWithPort.add(c.getName() + ":" + p.getContainerPort());
                }
            }
        }
        assertEquals(List.of("ddbstream-scaler:9876"), containersWithPort,
                "only the agent's container has the scraped port (the consumer's http port is not scraped)");
    }

    /** docs/deploy.md's patch for the Operator's podMonitorSelector / ruleSelector labels both objects. */
    @Test
    void theSelectorLabelPatchOfDeployMdLabelsBothObjects() throws IOException {
        String deployMd = Files.readString(Manifests.REPO.resolve("docs/deploy.md"));
        int start = deployMd.indexOf("patches:\n  # Both the PodMonitor and the PrometheusRule");
        assertTrue(start >= 0, "docs/deploy.md shows the selector label patch");
        String yaml = deployMd.substring(start, deployMd.indexOf("```", start));
        Map<String, Object> patches = new Yaml().load(yaml);

        List<HasMetadata> objects = Manifests.renderWithComponent("standalone", COMPONENT, patches);
        for (String kind : List.of("PodMonitor", "PrometheusRule")) {
            HasMetadata o = Manifests.only(objects, GenericKubernetesResource.class, "ddbstream-scaler", kind);
            assertEquals(Map.of("app.kubernetes.io/part-of", "ddbstream-scaler", "release", "prometheus"),
                    o.getMetadata().getLabels(), kind);
        }
    }

    @Test
    void thePrometheusRulesSpecIsTheRulesFileLineForLine() throws IOException {
        List<String> file = Files.readAllLines(MonitoringFiles.PROMETHEUS_RULE);
        int spec = file.indexOf("spec:");
        assertTrue(spec > 0, "prometheusrule.yaml has a top-level spec:");
        List<String> indented = Files.readAllLines(MonitoringFiles.RULES).stream()
                .map(line -> line.isEmpty() ? line : "  " + line).toList();
        assertEquals(indented, file.subList(spec + 1, file.size()),
                "regenerate prometheusrule.yaml from ddbstream-scaler.rules.yaml (the command is in its header)");
    }

    @ParameterizedTest(name = "{0}: the rendered PrometheusRule's spec holds the rules file's rules")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void theRenderedSpecEqualsTheRulesFile(String overlay) {
        GenericKubernetesResource rule = Manifests.only(Manifests.renderWithComponent(overlay, COMPONENT),
                GenericKubernetesResource.class, "ddbstream-scaler", "PrometheusRule");
        assertEquals(MonitoringFiles.yaml(MonitoringFiles.RULES), spec(rule));
    }

    static Stream<Arguments> alerts() {
        return Stream.of(
                alert("DdbstreamScalerPollStale", "critical", "ddbstream_scaler_last_poll_timestamp_seconds",
                        "ddbstream_scaler_polling_interval_seconds"),
                alert("DdbstreamScalerProbeErrors", "warning", "keda_scaler_detail_errors_total"),
                alert("DdbstreamScalerScaleWriteFailed", "warning", "ddbstream_scaler_scale_writes_total"),
                alert("DdbstreamScalerFallbackActive", "warning", "ddbstream_scaler_decisions_total"),
                alert("DdbstreamScalerConfigError", "warning", "ddbstream_scaler_config_errors_total"),
                alert("DdbstreamScalerAwsThrottled", "warning", "ddbstream_scaler_aws_calls_total"),
                alert("DdbstreamScalerNoLeader", "critical", "ddbstream_scaler_leader"));
    }

    private static Arguments alert(String name, String severity, String... series) {
        return Arguments.of(named(name, name), severity, Set.of(series));
    }

    @ParameterizedTest(name = "{0}: severity {1}, reads {2}, has a summary, a description and a runbook in docs/alerts.md")
    @MethodSource("alerts")
    void eachAlertHasItsSeriesAndARunbook(String name, String severity, Set<String> series) throws IOException {
        MonitoringFiles.Alert alert = MonitoringFiles.alerts().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + name));
        String anchor = name.toLowerCase();
        String runbooks = Files.readString(Manifests.REPO.resolve("docs/alerts.md"));
        assertAll(
                () -> assertEquals(severity, alert.labels().get("severity")),
                () -> assertEquals(series, PromQl.metricNames(alert.expr())),
                () -> assertFalse(alert.annotations().getOrDefault("summary", "").isBlank(), "summary"),
                () -> assertFalse(alert.annotations().getOrDefault("description", "").isBlank(), "description"),
                () -> assertEquals("docs/alerts.md#" + anchor, alert.annotations().get("runbook_url")),
                () -> assertTrue(runbooks.lines().anyMatch(l -> l.equals("## " + name)),
                        "docs/alerts.md has the section '## " + name + "' (GitHub anchor #" + anchor + ")"));
    }

    @Test
    void theRulesFileHoldsExactlyTheseAlerts() {
        Set<String> expected = alerts().map(a -> (String) ((org.junit.jupiter.api.Named<?>) a.get()[0]).getPayload())
                .collect(Collectors.toSet());
        assertEquals(expected, MonitoringFiles.alerts().stream().map(MonitoringFiles.Alert::name).collect(Collectors.toSet()));
    }

    /** promtool on what kustomize renders: the PrometheusRule's spec written out as a rules file, with the unit tests. */
    @Test
    void promtoolChecksAndTestsTheRenderedRules(@TempDir Path dir) throws IOException {
        GenericKubernetesResource rule = Manifests.only(Manifests.renderWithComponent("standalone", COMPONENT),
                GenericKubernetesResource.class, "ddbstream-scaler", "PrometheusRule");
        Files.writeString(dir.resolve(MonitoringFiles.RULES.getFileName()), new Yaml().dump(spec(rule)));
        Files.copy(MonitoringFiles.RULE_TESTS, dir.resolve(MonitoringFiles.RULE_TESTS.getFileName()));

        Promtool.Result check = Promtool.run(dir, "check", "rules", MonitoringFiles.RULES.getFileName().toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: 7 rules found"), check.output());
        Promtool.Result test = Promtool.run(dir, "test", "rules", MonitoringFiles.RULE_TESTS.getFileName().toString());
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    @ParameterizedTest(name = "{0}: the dashboard ConfigMap is dashboard.json, labelled for Grafana's sidecar")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void dashboardConfigMapIsTheDashboardFile(String overlay) throws IOException {
        ConfigMap dashboard = Manifests.only(Manifests.renderWithComponent(overlay, COMPONENT), ConfigMap.class,
                "ddbstream-scaler-dashboard");
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(Map.of("dashboard.json", Files.readString(MonitoringFiles.DASHBOARD)), dashboard.getData());
    }

    static Stream<Arguments> dashboardSeries() {
        return Stream.of(
                series("shards open/closed/total", "ddbstream_scaler_shards"),
                series("desired vs current replicas", "ddbstream_scaler_replicas"),
                series("decisions by reason", "ddbstream_scaler_decisions_total"),
                series("AWS calls and throttles", "ddbstream_scaler_aws_calls_total"),
                series("poll age", "ddbstream_scaler_last_poll_timestamp_seconds"),
                series("reading age", "ddbstream_scaler_reading_age_seconds"),
                series("config errors", "ddbstream_scaler_config_errors_total"),
                series("leaders per agent", "ddbstream_scaler_leases_held"),
                series("KEDA: the metric", "keda_scaler_metrics_value"),
                series("KEDA: active", "keda_scaler_active"),
                series("KEDA: probe errors", "keda_scaler_detail_errors_total"),
                series("KEDA: ScaledObject errors", "keda_scaled_object_errors_total"));
    }

    private static Arguments series(String name, String metric) {
        return Arguments.of(named(name, metric));
    }

    @ParameterizedTest(name = "a panel shows {0}")
    @MethodSource("dashboardSeries")
    void aPanelShows(String metric) {
        List<String> panels = MonitoringFiles.dashboardQueries().entrySet().stream()
                .filter(e -> e.getKey().startsWith("panel ") && PromQl.metricNames(e.getValue()).contains(metric))
                .map(Map.Entry::getKey).toList();
        assertFalse(panels.isEmpty(), "no panel reads " + metric);
    }

    @Test
    void dashboardPanelsShowPollAgeAndThrottles() {
        Set<String> exprs = Set.copyOf(MonitoringFiles.dashboardQueries().values());
        assertTrue(exprs.stream().anyMatch(e -> e.startsWith("time() - max by (namespace, scaledObject) "
                + "(ddbstream_scaler_last_poll_timestamp_seconds")), "poll age = time() - last poll");
        assertTrue(exprs.stream().anyMatch(e -> e.contains("ddbstream_scaler_aws_calls_total{")
                && e.contains("outcome=\"throttled\"")), "a throttles panel");
    }

    @Test
    void dashboardHasNamespaceAndScaledObjectVariablesAndEveryPanelQueries() {
        JsonNode dashboard = MonitoringFiles.dashboard();
        Map<String, JsonNode> variables = new java.util.HashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertEquals(Set.of("datasource", "namespace", "scaledObject"), variables.keySet());
        assertTrue(variables.get("scaledObject").path("multi").asBoolean(), "several ScaledObjects at once");
        assertEquals("ddbstream-scaler", dashboard.path("uid").asText());

        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : MonitoringFiles.panels(dashboard)) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + panel.path("id"));
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
            assertFalse(panel.path("targets").isEmpty(), title + " has no query");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertTrue(expr.contains("namespace=~\"$namespace\""), title + " ignores $namespace: " + expr);
                Set<String> names = PromQl.metricNames(expr);
                boolean perScaledObject = names.stream().anyMatch(n -> n.startsWith("keda_")
                        || Set.of("ddbstream_scaler_shards", "ddbstream_scaler_replicas", "ddbstream_scaler_decisions_total",
                        "ddbstream_scaler_scale_writes_total", "ddbstream_scaler_last_poll_timestamp_seconds",
                        "ddbstream_scaler_reading_age_seconds", "ddbstream_scaler_polling_interval_seconds",
                        "ddbstream_scaler_leader").contains(n));
                assertEquals(perScaledObject, expr.contains("scaledObject=~\"$scaledObject\""),
                        title + ": per-ScaledObject series filter on $scaledObject, agent-wide ones cannot: " + expr);
            }
        }
    }

    /** Every dashboard query parses as PromQL (Grafana's variables replaced), checked by promtool as recording rules. */
    @Test
    void promtoolParsesEveryDashboardQuery(@TempDir Path dir) throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        int i = 0;
        for (String expr : MonitoringFiles.dashboardQueries().values()) {
            if (expr.startsWith("label_values(")) {
                expr = expr.substring("label_values(".length(), expr.lastIndexOf(','));
            }
            rules.add(Map.of("record", "dashboard:query" + i++, "expr", expr.replace("$__rate_interval", "5m")
                    .replace("$namespace", ".*").replace("$scaledObject", ".*")));
        }
        Files.writeString(dir.resolve("dashboard.rules.yaml"),
                new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
        Promtool.Result check = Promtool.run(dir, "check", "rules", "dashboard.rules.yaml");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: " + rules.size() + " rules found"), check.output());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> node, String... path) {
        Object value = node;
        for (String key : path) {
            value = ((Map<String, Object>) value).get(key);
            if (value == null) {
                throw new AssertionError("no " + String.join(".", path));
            }
        }
        return (T) value;
    }
}
