package io.ddbstreamscaler.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The monitoring component's files (k8s/components/monitoring): alert rules, their tests, the dashboard. */
public final class MonitoringFiles {

    public static final Path DIR = Manifests.K8S.resolve("components").resolve("monitoring");
    public static final Path RULES = DIR.resolve("ddbstream-scaler.rules.yaml");
    public static final Path RULE_TESTS = DIR.resolve("ddbstream-scaler.rules.test.yaml");
    public static final Path PROMETHEUS_RULE = DIR.resolve("prometheusrule.yaml");
    public static final Path DASHBOARD = DIR.resolve("dashboard.json");

    /** One alerting rule of the rules file. */
    public record Alert(String name, String expr, Map<String, String> labels, Map<String, String> annotations) {
    }

    private MonitoringFiles() {
    }

    /** Every rule of every group of a rules file's content (the plain file, or a PrometheusRule's spec). */
    @SuppressWarnings("unchecked")
    public static List<Alert> alerts(Map<String, Object> rulesFile) {
        List<Alert> alerts = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rulesFile.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.add(new Alert((String) rule.get("alert"), (String) rule.get("expr"),
                        (Map<String, String>) rule.getOrDefault("labels", Map.of()),
                        (Map<String, String>) rule.getOrDefault("annotations", Map.of())));
            }
        }
        return alerts;
    }

    public static List<Alert> alerts() {
        return alerts(yaml(RULES));
    }

    public static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every PromQL query of the dashboard, keyed by where it sits ("panel 'Title' A", "variable namespace"). */
    public static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new TreeMap<>();
        JsonNode dashboard = dashboard();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                queries.put("variable " + variable.path("name").asText(), variable.path("query").path("query").asText());
            }
        }
        return queries;
    }

    /** Panels, with those nested in collapsed rows. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Every expression an alert or a panel evaluates, keyed by where it sits. */
    public static Map<String, String> allExpressions() {
        Map<String, String> all = new TreeMap<>();
        alerts().forEach(a -> all.put("alert " + a.name(), a.expr()));
        all.putAll(dashboardQueries());
        return all;
    }

    /** The exact label values all of them select ({@code outcome="failure"}, {@code reason="Fallback"}, ...). */
    public static Set<PromQl.LabelMatch> labelMatches() {
        Set<PromQl.LabelMatch> matches = new java.util.LinkedHashSet<>();
        allExpressions().values().forEach(e -> matches.addAll(PromQl.labelMatches(e)));
        return matches;
    }

    /** The metric names all of them read. */
    public static Set<String> seriesNames() {
        Set<String> names = new TreeSet<>();
        allExpressions().values().forEach(e -> names.addAll(PromQl.metricNames(e)));
        return names;
    }
}
