package io.ddbstreamscaler.ship;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/** What each overlay renders, the trigger and routes ConfigMaps, and the Secret that stays out of them. */
class ConfigMapsTest {

    static Stream<Arguments> overlays() {
        Set<String> common = Set.of("ServiceAccount ddbstream-scaler", "Role ddbstream-scaler",
                "RoleBinding ddbstream-scaler", "ConfigMap ddbstream-scaler-triggers", "ConfigMap ddbstream-scaler-routes");
        return Stream.of(
                row("sidecar", common, "Deployment nginx-deployment", 1),
                row("standalone", common, "Deployment ddbstream-scaler", null),
                row("camel-k", common, "Integration ddbstream-scaler", null));
    }

    private static Arguments row(String overlay, Set<String> common, String workload, Integer minReplicaCount) {
        Set<String> all = new java.util.HashSet<>(common);
        all.add(workload);
        return Arguments.of(named(overlay, overlay), Set.copyOf(all), minReplicaCount);
    }

    @ParameterizedTest(name = "{0}: exactly the expected objects, all in keda-test, no Secret")
    @MethodSource("overlays")
    void rendersExactlyTheExpectedObjects(String overlay, Set<String> expected, Integer ignored) {
        List<HasMetadata> objects = Manifests.render(overlay);
        assertEquals(expected, Set.copyOf(Manifests.names(objects)));
        assertTrue(objects.stream().allMatch(o -> "keda-test".equals(o.getMetadata().getNamespace())));
        assertTrue(objects.stream().noneMatch(Secret.class::isInstance), "a Secret must never be rendered");
    }

    @ParameterizedTest(name = "{0}: the triggers ConfigMap holds a TriggerAuthentication and a ScaledObject (minReplicaCount {2})")
    @MethodSource("overlays")
    void triggersConfigMapHoldsTheSpecExample(String overlay, Set<String> ignored, Integer minReplicaCount) {
        ConfigMap triggers = Manifests.only(Manifests.render(overlay), ConfigMap.class, "ddbstream-scaler-triggers");
        List<HasMetadata> inside = Manifests.parse(triggers.getData().get("aws-dynamodb-stream.yaml"));

        assertEquals(List.of("TriggerAuthentication keda-trigger-auth-aws-credentials",
                "ScaledObject aws-dynamodb-stream-scaledobject"), Manifests.names(inside));
        GenericKubernetesResource scaledObject = (GenericKubernetesResource) inside.get(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) scaledObject.getAdditionalProperties().get("spec");
        assertEquals(minReplicaCount, spec.get("minReplicaCount"),
                "sidecar must not scale to zero (it would remove the agent); elsewhere KEDA's default applies");
        assertEquals(Map.of("name", "nginx-deployment"), spec.get("scaleTargetRef"));
    }

    @ParameterizedTest(name = "{0}: the routes ConfigMap is the repository's routes/, byte for byte")
    @ValueSource(strings = {"sidecar", "standalone", "camel-k"})
    void routesConfigMapIsTheRepositorysRoutes(String overlay) throws IOException {
        ConfigMap routes = Manifests.only(Manifests.render(overlay), ConfigMap.class, "ddbstream-scaler-routes");
        Map<String, String> onDisk = new TreeMap<>();
        try (Stream<Path> files = Files.list(Manifests.REPO.resolve("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                onDisk.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        assertEquals(onDisk, new TreeMap<>(routes.getData()), "k8s/base/kustomization.yaml must list every route file");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base/secret-example.yaml"})
    void secretExampleParsesAndHoldsNoRealValue(String file) throws IOException {
        Secret secret = (Secret) Manifests.parseFile(Manifests.K8S.resolve(file)).get(0);
        assertEquals("test-secrets", secret.getMetadata().getName());
        assertTrue(secret.getData() == null || secret.getData().isEmpty(), "no base64 data in the repository");
        assertTrue(secret.getStringData().values().stream().allMatch(v -> v.contains("REPLACE-ME")),
                secret.getStringData().keySet().stream().collect(Collectors.joining(",")));
    }
}
