package io.ddbstreamscaler.ship;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/** The camel-k overlay: a ready-image Integration wired to the same ConfigMaps, paths and endpoints. */
class CamelKIntegrationTest {

    private static GenericKubernetesResource integration;
    private static DockerfileModel runtime;

    @BeforeAll
    static void render() throws IOException {
        List<HasMetadata> objects = Manifests.render("camel-k");
        integration = Manifests.only(objects, GenericKubernetesResource.class, "ddbstream-scaler");
        runtime = DockerfileModel.read(Manifests.REPO.resolve("Dockerfile")).stage("runtime");
    }

    static Stream<Arguments> traitValues() {
        return Stream.of(
                row("camel.apache.org/v1 Integration", List.of("apiVersion"), "camel.apache.org/v1"),
                row("runs the agent's ready image (kamel run --image)", List.of("spec", "traits", "container", "image"),
                        "ddbstream-scaler:0.1.0"),
                row("as the agent's ServiceAccount", List.of("spec", "serviceAccountName"), "ddbstream-scaler"),
                row("self-managed images get health only when enabled", List.of("spec", "traits", "health", "enabled"),
                        true),
                row("liveness on the agent's path", List.of("spec", "traits", "health", "livenessProbe"),
                        "/observe/health/live"),
                row("readiness on the agent's path", List.of("spec", "traits", "health", "readinessProbe"),
                        "/observe/health/ready"),
                row("the container port is named management, as the PodMonitor scrapes it",
                        List.of("spec", "traits", "container", "portName"), "management"),
                row("Prometheus trait on", List.of("spec", "traits", "prometheus", "enabled"), true),
                row("no PodMonitor on /q/metrics (Quarkus path)", List.of("spec", "traits", "prometheus", "podMonitor"),
                        false),
                row("non-root as the image's user", List.of("spec", "traits", "container", "runAsUser"), 10001),
                row("all capabilities dropped", List.of("spec", "traits", "container", "capabilitiesDrop"), List.of("ALL")),
                row("seccomp RuntimeDefault", List.of("spec", "traits", "container", "seccompProfileType"),
                        "RuntimeDefault"),
                row("in the spec's namespace", List.of("metadata", "namespace"), "keda-test"));
    }

    private static Arguments row(String name, List<String> path, Object expected) {
        return Arguments.of(named(name, path), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traitValues")
    void integrationField(List<String> path, Object expected) {
        assertEquals(expected, at(path));
    }

    @Test
    void probedPortIsTheOneTheAgentListensOn() {
        // Camel K probes the container's http port (8080 on self-managed images); the agent is told to listen there.
        Object port = at(List.of("spec", "traits", "container", "port"));
        String toolOptions = env().stream().filter(v -> v.startsWith("JAVA_TOOL_OPTIONS=")).findFirst().orElseThrow();
        assertTrue(toolOptions.contains("-Dcamel.management.port=" + port), toolOptions);
        assertTrue(toolOptions.contains(runtime.env().get("JAVA_TOOL_OPTIONS")),
                "the Integration drops the image's sizing flags: " + toolOptions);
    }

    @Test
    void sameConfigMapsAtTheImagesPaths() {
        assertEquals(List.of("configmap:ddbstream-scaler-triggers@" + runtime.env().get("SCALER_CONFIG"),
                        "configmap:ddbstream-scaler-routes@" + runtime.env().get("SCALER_ROUTES")),
                at(List.of("spec", "traits", "mount", "resources")));
        assertTrue(env().contains("SCALER_CONFIG=" + runtime.env().get("SCALER_CONFIG")));
        assertTrue(env().contains("SCALER_ROUTES=" + runtime.env().get("SCALER_ROUTES")));
    }

    @Test
    void readOnlyRootAndPodNamespaceThroughThePodTemplate() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> containers = (List<Map<String, Object>>) at(
                List.of("spec", "template", "spec", "containers"));
        Map<String, Object> integrationContainer = containers.get(0);
        assertEquals("integration", integrationContainer.get("name"));
        assertEquals(Map.of("readOnlyRootFilesystem", true), integrationContainer.get("securityContext"));
        assertTrue(integrationContainer.get("env").toString().contains("POD_NAMESPACE"));
        assertFalse(((Map<?, ?>) at(List.of("spec", "template"))).containsKey("metadata"),
                "an Integration's template has no metadata: Camel K drops it");
    }

    @SuppressWarnings("unchecked")
    private static List<String> env() {
        return (List<String>) at(List.of("spec", "traits", "environment", "vars"));
    }

    private static Object at(List<String> path) {
        if (path.get(0).equals("apiVersion")) {
            return integration.getApiVersion();
        }
        if (path.get(0).equals("metadata")) {
            return integration.getMetadata().getNamespace();
        }
        Object node = integration.getAdditionalProperties();
        for (String key : path) {
            node = ((Map<?, ?>) node).get(key);
            if (node == null) {
                throw new AssertionError("no " + String.join(".", path) + " in the Integration");
            }
        }
        return node;
    }
}
