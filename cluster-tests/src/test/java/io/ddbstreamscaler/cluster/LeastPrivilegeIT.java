package io.ddbstreamscaler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddbstreamscaler.simulator.AwsSimulator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/**
 * Least privilege, from the audit log. First, over every request the suite's agents made in the namespaces of the
 * classes before this one (scale up and down, Events created and patched, a rotated Secret, the sidecar guard, a
 * StatefulSet and a custom resource, three agents' Leases with a join, a leave and a lost node): the verbs x resources
 * used equal the rules of the Role those namespaces were given (the shipped Role, plus the rule docs/deploy.md adds per
 * extra target), nothing granted is unused and nothing used is denied. Then each rule of the shipped Role is removed in
 * turn, in a namespace of its own, and the agent says which permission it lacks and does what docs promise without it.
 */
@ExtendWith(ClusterExtension.class)
@Order(6)
class LeastPrivilegeIT {

    /** The namespaces whose agents, together, used every feature (FleetIT, SidecarGuardIT, ...). */
    static final Set<String> FEATURES = Set.of(StandaloneScaleIT.NS, SidecarGuardIT.NS, OtherTargetsIT.NS, FleetIT.NS);
    static final ObjectMapper JSON = new ObjectMapper();

    static LocalCluster cluster;
    @AutoClose
    static AwsSimulator aws;

    @BeforeAll
    static void simulator(LocalCluster c) {
        cluster = c;
        aws = AwsSimulator.start(Clock.systemUTC(), Triggers.REGION, 0);
        aws.state().createTable("rbac", 4);
    }

    /** One rule, one verb: what RBAC checks a request against. */
    record Permission(String apiGroup, String resource, String verb) implements Comparable<Permission> {
        @Override
        public int compareTo(Permission o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (apiGroup.isEmpty() ? "core" : apiGroup) + " " + resource + " " + verb;
        }
    }

    @Test
    @Order(1)
    void theRoleIsExactlyWhatTheAgentsUsed() {
        Assumptions.assumeTrue(Scenarios.namespaces().containsAll(FEATURES),
                "the whole suite runs first (mvn verify -pl cluster-tests -am): this compares what its agents asked with the Role");
        Map<Permission, Integer> used = new TreeMap<>();
        Map<Permission, Set<String>> usedIn = new TreeMap<>();
        List<String> denied = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        for (AuditLog.Request r : new AuditLog(cluster.auditLog()).requests()) {
            String ns = FEATURES.stream().filter(n -> r.user().equals(AuditLog.agentUser(n))).findFirst().orElse(null);
            if (ns == null) {
                continue;
            }
            if (!ns.equals(r.namespace())) {
                elsewhere.add(r.toString());
                continue;
            }
            Permission p = new Permission(r.apiGroup(), r.rbacResource(), r.verb());
            used.merge(p, 1, Integer::sum);
            usedIn.computeIfAbsent(p, k -> new TreeSet<>()).add(ns);
            if (r.code() == 401 || r.code() == 403) {
                denied.add(r.toString());
            }
        }
        Map<Permission, Set<String>> granted = new TreeMap<>();
        for (String ns : FEATURES) {
            for (JsonNode rule : role(ns).path("rules")) {
                for (Permission p : permissions(rule)) {
                    granted.computeIfAbsent(p, k -> new TreeSet<>()).add(ns);
                }
            }
        }
        System.out.println("cluster-tests: the Role's rules and what the agents used (requests, in which namespaces):\n"
                + table(granted, used, usedIn));

        assertEquals(List.of(), elsewhere, "requests outside the agent's own namespace");
        assertEquals(List.of(), denied, "requests the Role denied");
        assertEquals(Set.of(), difference(used.keySet(), granted.keySet()), "used but not granted");
        assertEquals(Set.of(), difference(granted.keySet(), used.keySet()), "granted but never used");
    }

    static Stream<Arguments> eachRuleRemoved() {
        return Stream.of(
                row("deployments/scale: --once exits 1, names the rule, writes nothing", "deployments/scale", Mode.ONCE, 1,
                        "resources: [\"deployments/scale\"], resourceNames: [\"nginx-deployment\"], verbs: [\"get\"]", Write.NONE),
                row("secrets: --once exits 1, names the rule, writes nothing", "secrets", Mode.ONCE, 1,
                        "resources: [\"secrets\"], resourceNames: [\"test-secrets\"], verbs: [\"get\"]", Write.NONE),
                row("events: never holds up scaling (docs/events-and-status.md): --once exits 0, WARN names the rule",
                        "events", Mode.ONCE, 0, "resources: [\"events\"], verbs: [\"create\", \"patch\"]", Write.MADE),
                row("leases: leader election leads nothing and says why", "leases", Mode.ELECTED, -1,
                        "resources: [\"leases\"]", Write.NONE),
                row("pods: leader election lists no candidates, leads nothing and says why", "pods", Mode.SIDECAR, -1,
                        "resources: [\"pods\"], verbs: [\"list\"]", Write.NONE),
                row("replicasets: the sidecar guard cannot tell, keeps at least 1 and says why", "replicasets", Mode.SIDECAR, -1,
                        "resources: [\"replicasets\"], resourceNames: [\"nginx-deployment-", Write.MADE));
    }

    /** How the agent runs: {@code run --once} (no election), or long-running as a Pod (election on). */
    enum Mode { ONCE, ELECTED, SIDECAR }

    /** Whether the write due (1 -> 2 replicas, or 2 -> 1 for the sidecar) is made. */
    enum Write { NONE, MADE }

    private static Arguments row(String name, String resource, Mode mode, int exit, String message, Write write) {
        return Arguments.of(named(name, resource), mode, exit, message, write);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eachRuleRemoved")
    @Order(2)
    void removingARuleNamesTheMissingPermission(String resource, Mode mode, int exit, String message, Write write) {
        String ns = "e2e-rbac-" + resource.replace("/", "-");
        TestNamespace space = TestNamespace.create(cluster, ns);
        space.applyOverlay(mode == Mode.SIDECAR ? "sidecar" : "standalone", List.of());
        removeRule(ns, resource);
        space.awsKeys("AKIARBAC000000000001", "rbac-secret");
        Path triggers = space.triggers("rbac.yaml", Triggers.file(ns, Triggers.scaledObject(ns, "rbac",
                Triggers.Target.deployment("nginx-deployment"), "rbac",
                mode == Mode.SIDECAR ? Triggers.Options.defaults().minReplicas(0).activationShardCount(100)
                        : Triggers.Options.defaults())));
        int before = mode == Mode.SIDECAR ? 2 : 1;
        if (mode == Mode.SIDECAR) {
            cluster.kubectl("-n", ns, "scale", "deployment/nginx-deployment", "--replicas=2");
        } else {
            space.deployment("nginx-deployment", 1);
        }
        String output;
        Instant start = Instant.now();
        if (mode == Mode.ONCE) {
            Result r = AgentProcess.once(AgentProcess.Setup.of("rbac-" + resource.replace("/", "-"), space.agentKubeconfig(),
                    aws.endpoint()), "-f", triggers.toString());
            output = r.out();
            assertEquals(exit, r.exit(), r::toString);
            assertTrue(output.contains(message), () -> "the message names the missing permission " + message + ":\n" + output);
            assertFalse(r.toString().contains("\n\tat "), () -> "a message, not a stack trace:\n" + r);
        } else {
            String selector = mode == Mode.SIDECAR ? "app=nginx" : "app.kubernetes.io/name=ddbstream-scaler";
            cluster.kubectl("-n", ns, "rollout", "status", "deployment/" + (mode == Mode.SIDECAR ? "nginx-deployment" : "ddbstream-scaler"),
                    "--timeout=120s");
            String pod = space.runningPods(selector).get(0);
            cluster.kubectl("-n", ns, "annotate", "pod", pod, "controller.kubernetes.io/pod-deletion-cost=1000");
            try (AgentProcess agent = AgentProcess.start(AgentProcess.Setup.of("rbac-" + resource, space.podKubeconfig(pod),
                    aws.endpoint()).asPod(pod, ns), "-f", triggers.toString())) {
                agent.await(l -> l.contains("WARN") && l.contains(message), Duration.ofSeconds(60));
                if (write == Write.NONE) {
                    // Several passes and polls: still nothing written.
                    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> writes(ns, start).isEmpty());
                } else {
                    await().atMost(Duration.ofSeconds(60)).until(() -> !writes(ns, start).isEmpty());
                }
                output = agent.output();
            }
        }
        List<AuditLog.Request> forbidden = new AuditLog(cluster.auditLog()).requests(AuditLog.byAgentOf(ns)
                .and(r -> r.code() == 403 && r.resource().equals(resource.replace("/scale", ""))));
        assertTrue(!forbidden.isEmpty(), "the API server refused the agent's request on " + resource);
        int after = space.replicas("deployment/nginx-deployment")[0];
        if (write == Write.NONE) {
            assertEquals(List.of(), writes(ns, start), "no /scale write");
            assertEquals(before, after, "replicas unchanged");
        } else {
            assertEquals(1, writes(ns, start).size(), () -> "one /scale write:\n" + String.join("\n", List.of(output)));
            assertTrue(after >= 1, "never below 1");
        }
        cluster.kubectl("delete", "namespace", ns, "--wait=false");
    }

    private static List<AuditLog.Request> writes(String ns, Instant since) {
        return new AuditLog(cluster.auditLog()).requests(AuditLog.scaleWrite().and(AuditLog.byAgentOf(ns))
                .and(r -> r.received().isAfter(since)));
    }

    /** The applied Role without the rule on {@code resource}, replaced on the API server. */
    private static void removeRule(String ns, String resource) {
        ObjectNode role = (ObjectNode) role(ns);
        ArrayNode kept = JSON.createArrayNode();
        int removed = 0;
        for (JsonNode rule : role.path("rules")) {
            boolean match = false;
            for (JsonNode r : rule.path("resources")) {
                match |= r.asText().equals(resource);
            }
            if (match) {
                removed++;
            } else {
                kept.add(rule);
            }
        }
        assertEquals(1, removed, "one rule of the shipped Role is on " + resource);
        role.set("rules", kept);
        cluster.kubectlStdin(role.toString(), "-n", ns, "replace", "-f", "-");
    }

    private static JsonNode role(String ns) {
        try {
            return JSON.readTree(cluster.kubectl("-n", ns, "get", "role", "ddbstream-scaler", "-o", "json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Permission> permissions(JsonNode rule) {
        List<Permission> out = new ArrayList<>();
        for (JsonNode group : rule.path("apiGroups")) {
            for (JsonNode resource : rule.path("resources")) {
                for (JsonNode verb : rule.path("verbs")) {
                    out.add(new Permission(group.asText(), resource.asText(), verb.asText()));
                }
            }
        }
        return out;
    }

    private static <T extends Comparable<T>> Set<T> difference(Set<T> a, Set<T> b) {
        Set<T> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** The audit table, as markdown: one row per (group, resource), granted verbs and used ones with their counts. */
    private static String table(Map<Permission, Set<String>> granted, Map<Permission, Integer> used,
                                Map<Permission, Set<String>> usedIn) {
        Map<String, List<Permission>> rows = new TreeMap<>();
        Set<Permission> all = new TreeSet<>(granted.keySet());
        all.addAll(used.keySet());
        for (Permission p : all) {
            rows.computeIfAbsent((p.apiGroup().isEmpty() ? "\"\"" : p.apiGroup()) + " | " + p.resource(), k -> new ArrayList<>()).add(p);
        }
        StringBuilder out = new StringBuilder("| apiGroup | resource | granted | used (requests) | by the agents of |\n|---|---|---|---|---|\n");
        rows.forEach((key, ps) -> out.append("| ").append(key).append(" | ")
                .append(String.join(", ", ps.stream().filter(granted::containsKey).map(Permission::verb).toList())).append(" | ")
                .append(String.join(", ", ps.stream().filter(used::containsKey).map(p -> p.verb() + " (" + used.get(p) + ")").toList()))
                .append(" | ").append(String.join(", ", ps.stream().filter(usedIn::containsKey)
                        .flatMap(p -> usedIn.get(p).stream()).distinct().sorted().toList())).append(" |\n"));
        return out.toString();
    }
}
