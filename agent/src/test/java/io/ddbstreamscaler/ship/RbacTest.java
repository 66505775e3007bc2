package io.ddbstreamscaler.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay renders the base Role (k8s/base/role.yaml) unchanged and binds it to the agent's ServiceAccount. What
 * the base Role holds is checked against the agent's own calls, not against a copy kept here:
 * {@code camel.RoleFromRequestLogIT} compares it with the Kubernetes simulator's request log of a run that uses every
 * feature.
 */
class RbacTest {

    /** One rule, one resource: easier to compare than PolicyRule's lists of lists. */
    record Rule(String apiGroup, String resource, Set<String> verbs, Set<String> resourceNames) {
    }

    @ParameterizedTest(name = "{0}: the Role is the base Role, nothing added or dropped")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void everyOverlayRendersTheBaseRole(String overlay) throws IOException {
        Role base = Serialization.unmarshal(Files.readString(Manifests.K8S.resolve("base/role.yaml")), Role.class);
        Set<Rule> expected = base.getRules().stream().flatMap(RbacTest::split).collect(Collectors.toSet());

        assertEquals(expected, rulesOf(Manifests.render(overlay)));
    }

    @ParameterizedTest(name = "{0}: no wildcard, and resourceNames on the target and the Secret")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void noWildcardAndNamedTargets(String overlay) {
        Set<Rule> rules = rulesOf(Manifests.render(overlay));
        assertTrue(rules.stream().noneMatch(r -> r.verbs().contains("*") || r.resource().contains("*")
                || r.apiGroup().equals("*")), rules::toString);
        assertTrue(rules.stream().filter(r -> Set.of("deployments", "deployments/scale", "secrets").contains(r.resource()))
                .allMatch(r -> !r.resourceNames().isEmpty()), rules::toString);
    }

    @ParameterizedTest(name = "{0}: the RoleBinding gives the Role to {1}, the ServiceAccount the agent runs as")
    @org.junit.jupiter.params.provider.CsvSource({"sidecar, nginx", "standalone, ddbstream-scaler",
            "camel-k, ddbstream-scaler"})
    void roleBindingBindsTheServiceAccount(String overlay, String serviceAccount) {
        List<HasMetadata> objects = Manifests.render(overlay);
        RoleBinding binding = Manifests.only(objects, RoleBinding.class, "ddbstream-scaler");

        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals("ddbstream-scaler", binding.getRoleRef().getName());
        assertEquals(List.of("ServiceAccount/" + serviceAccount + "/keda-test"), binding.getSubjects().stream()
                .map(s -> s.getKind() + "/" + s.getName() + "/" + s.getNamespace()).toList());
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
