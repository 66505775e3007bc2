package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.LeaseSpread;
import io.ddbstreamscaler.simulator.KubeApiDispatcher.LoggedRequest;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Role (k8s/base/role.yaml) against what the agent actually asked of the API server: the Kubernetes simulator's
 * request log over one run that uses every feature that talks to Kubernetes (leader election and its graceful
 * hand-over, the sidecar guard's walk from its Pod to the Deployment, a Secret read from the cluster, /scale reads and
 * writes, a Warning Event that repeats and a SuccessfulRescale). Another suite will do the same with a real API
 * server's audit log. The (API group, resource, verb) set the agent used is
 * the Role's set, no more and no less, and every call on a rule with resourceNames names one of them. Expectations
 * come from the log, not from a copy of the Role.
 */
class RoleFromRequestLogIT {

    static final String NS = AgentHarness.NS;
    static final String TARGET = "nginx-deployment";
    static final String SECRET = "test-secrets";
    static final String POD = "agent-0";
    static final String SCALE = "/apis/apps/v1/namespaces/" + NS + "/deployments/" + TARGET + "/scale";

    /** /api/v1/namespaces/NS/RESOURCE[/NAME[/SUB]] or /apis/GROUP/VERSION/namespaces/NS/RESOURCE[/NAME[/SUB]]. */
    static final Pattern RESOURCE_PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/[^/]+/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?(.*))?$");

    /** One call as RBAC sees it. */
    record Call(String apiGroup, String resource, String verb) implements Comparable<Call> {
        @Override
        public int compareTo(Call o) {
            return toString().compareTo(o.toString());
        }
    }

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void theAgentCallsExactlyWhatTheRoleGrants() throws Exception {
        h.aws.state().createTable("orders", 2);
        h.kube.createDeployment(NS, TARGET, 1, Map.of("app", "nginx"));
        // The sidecar layout: the agent's Pod is owned by a ReplicaSet of the Deployment it scales.
        h.kube.client().apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(TARGET + "-6f7d8").withNamespace(NS)
                .withOwnerReferences(KubeApiSimulator.controllerRef("Deployment", TARGET)).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "nginx").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "nginx").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
        Map<String, String> labels = new HashMap<>(LeaseSpread.CANDIDATE_LABELS);
        labels.put("app", "nginx");
        h.kube.createPod(NS, POD, labels, KubeApiSimulator.controllerRef("ReplicaSet", TARGET + "-6f7d8"));
        // The keys come from the cluster's Secret, not from the files.
        h.kube.createSecret(NS, SECRET, Map.of("AWS_ACCESS_KEY_ID", AgentHarness.KEY_ID,
                "AWS_SECRET_ACCESS_KEY", "role-test-secret"));
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", TARGET, 2, "")
                .replaceAll("(?s)^apiVersion: v1\nkind: Secret\n.*?---\n", "")
                .replace("orders-consumer-keys", SECRET));
        // Writes are refused (403) until the Warning Event has repeated: created once, then patched (ScaleEvents
        // patches a repeating Event at most every 30 s).
        h.kube.dispatcher().inject("PUT", SCALE, 403, -1);
        h.kube.dispatcher().clearLog();

        ScalerAgent agent = h.start(h.options(false, true, POD));
        h.aws.state().split("orders", 2); // 6 shards: 3 replicas
        await().atMost(Duration.ofSeconds(90)).until(() -> !h.kube.dispatcher().requests("PATCH",
                "/api/v1/namespaces/" + NS + "/events/.*").isEmpty());
        h.kube.dispatcher().clearFaults();
        // Waits on the request log (the SuccessfulRescale Event the agent records after a write that went through), not
        // on the Deployment: the test's own reads would be in the log, which does not tell clients apart.
        await().atMost(Duration.ofSeconds(30)).until(() -> h.kube.dispatcher().requests("POST",
                "/api/v1/namespaces/" + NS + "/events").stream().anyMatch(r -> r.body().contains("SuccessfulRescale")));
        agent.close(); // a graceful stop hands its Leases over: the membership Lease is deleted
        List<LoggedRequest> agentRequests = h.kube.dispatcher().requests();
        assertEquals(3, h.replicas("Deployment", TARGET), "the first write after the refusals went through");

        Map<Call, Set<String>> used = new TreeMap<>();
        Set<String> other = new TreeSet<>();
        for (LoggedRequest r : agentRequests) {
            Matcher m = RESOURCE_PATH.matcher(r.path());
            if (!m.matches()) {
                other.add(r.method() + " " + r.path().replaceAll("\\?.*", ""));
                continue;
            }
            String group = m.group(1) == null ? "" : m.group(1);
            String name = m.group(3);
            String resource = m.group(2) + (m.group(4) == null ? "" : "/" + m.group(4));
            String query = m.group(5) == null ? "" : m.group(5);
            String verb = switch (r.method()) {
                case "GET" -> name == null ? (query.contains("watch=true") ? "watch" : "list") : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name == null ? "deletecollection" : "delete";
                default -> r.method();
            };
            used.computeIfAbsent(new Call(group, resource, verb), k -> new TreeSet<>()).add(name == null ? "" : name);
        }
        System.out.println("RoleFromRequestLogIT: the agent's calls " + used + "; not resource calls " + other);

        Role role = Serialization.unmarshal(Files.readString(Path.of("k8s/base/role.yaml")), Role.class);
        Map<Call, Set<String>> granted = new TreeMap<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        granted.put(new Call(group, resource, verb), rule.getResourceNames() == null
                                ? Set.of() : Set.copyOf(rule.getResourceNames()));
                    }
                }
            }
        }
        assertEquals(granted.keySet(), used.keySet(), "the Role grants exactly the calls the agent made");
        used.forEach((call, names) -> {
            Set<String> allowed = granted.get(call);
            assertTrue(allowed.isEmpty() || allowed.containsAll(names), call + " named " + names + ", the Role only "
                    + allowed);
        });
    }
}
