package io.ddbstreamscaler.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/** The Role holds exactly what the agent calls (issue 6; Events and the agent's own Lease spreading, issue 13). */
class RbacTest {

    /** One rule, one resource: easier to compare than PolicyRule's lists of lists. */
    record Rule(String apiGroup, String resource, Set<String> verbs, Set<String> resourceNames) {
    }

    static Stream<Arguments> expectedRules() {
        return Stream.of(
                row("scaleDeployment reads the Deployment back", "apps", "deployments", Set.of("get"),
                        Set.of("nginx-deployment")),
                row("the target's scale subresource", "apps", "deployments/scale", Set.of("get", "update"),
                        Set.of("nginx-deployment")),
                row("the TriggerAuthentication's Secret", "", "secrets", Set.of("get"), Set.of("test-secrets")),
                row("own Pod (sidecar guard) and candidate Pods (leader election)", "", "pods",
                        Set.of("get", "list"), Set.of()),
                row("the ReplicaSet between Pod and Deployment", "apps", "replicasets", Set.of("get"), Set.of()),
                row("Events on the scale target: created, then patched as they repeat (no names for create)", "",
                        "events", Set.of("create", "patch"), Set.of()),
                row("Lease spreading: Leases named after Pods and ScaledObjects, listed by label each pass",
                        "coordination.k8s.io", "leases", Set.of("get", "list", "create", "update", "delete"), Set.of()));
    }

    private static Arguments row(String name, String group, String resource, Set<String> verbs, Set<String> names) {
        return Arguments.of(named(name, new Rule(group, resource, verbs, names)));
    }

    @ParameterizedTest(name = "{0}: the Role is exactly the expected rules, nothing more")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void roleIsExactlyTheExpectedRules(String overlay) {
        Set<Rule> expected = expectedRules().map(a -> (Rule) ((org.junit.jupiter.api.Named<?>) a.get()[0]).getPayload())
                .collect(Collectors.toSet());

        assertEquals(expected, rulesOf(Manifests.render(overlay)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectedRules")
    void sidecarRoleHoldsRule(Rule rule) {
        assertTrue(rulesOf(Manifests.render("sidecar")).contains(rule), () -> "missing " + rule);
    }

    @ParameterizedTest(name = "{0}: the RoleBinding gives the Role to the agent's ServiceAccount")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void roleBindingBindsTheServiceAccount(String overlay) {
        List<HasMetadata> objects = Manifests.render(overlay);
        RoleBinding binding = Manifests.only(objects, RoleBinding.class, "ddbstream-scaler");

        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals("ddbstream-scaler", binding.getRoleRef().getName());
        assertEquals(List.of("ServiceAccount/ddbstream-scaler"),
                binding.getSubjects().stream().map(s -> s.getKind() + "/" + s.getName()).toList());
    }

    private static Set<Rule> rulesOf(List<HasMetadata> objects) {
        Role role = Manifests.only(objects, Role.class, "ddbstream-scaler");
        return role.getRules().stream().flatMap(RbacTest::split).collect(Collectors.toSet());
    }

    private static Stream<Rule> split(PolicyRule rule) {
        Set<String> names = rule.getResourceNames() == null ? Set.of() : Set.copyOf(rule.getResourceNames());
        return rule.getApiGroups().stream().flatMap(group -> rule.getResources().stream()
                .map(resource -> new Rule(group, resource, Set.copyOf(rule.getVerbs()), names)));
    }
}
