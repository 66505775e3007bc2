package io.ddbstreamscaler.ship;

import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Named.named;

/**
 * `kubectl apply -k k8s/overlays/<mode>`, kustomize's defaults, against the Kubernetes API simulator: the command a
 * user types applies every object. (camel-k needs the Integration CRD, which the simulator's discovery does not serve;
 * its rendering is checked by CamelKIntegrationTest.)
 */
class KubectlApplyIT {

    static Stream<Arguments> overlays() {
        return Stream.of(Arguments.of(named("sidecar", "sidecar"), "nginx-deployment", "nginx"),
                Arguments.of(named("standalone", "standalone"), "ddbstream-scaler", "ddbstream-scaler"));
    }

    @ParameterizedTest(name = "{0}: kubectl apply -k creates every object, the routes ConfigMap from routes/")
    @MethodSource("overlays")
    void applies(String overlay, String deployment, String serviceAccount, @TempDir Path dir) throws Exception {
        try (KubeApiSimulator kube = KubeApiSimulator.start()) {
            Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), "keda-test");
            // --validate=false: the simulator serves no OpenAPI schema to validate against.
            String out = kubectl(kubeconfig, "apply", "-k", Manifests.K8S.resolve("overlays").resolve(overlay).toString(),
                    "--validate=false");

            KubernetesClient client = kube.client();
            assertNotNull(client.serviceAccounts().inNamespace("keda-test").withName(serviceAccount).get(), out);
            assertNotNull(client.rbac().roles().inNamespace("keda-test").withName("ddbstream-scaler").get(), out);
            assertNotNull(client.rbac().roleBindings().inNamespace("keda-test").withName("ddbstream-scaler").get(), out);
            assertNotNull(client.configMaps().inNamespace("keda-test").withName("ddbstream-scaler-triggers").get(), out);
            assertNotNull(client.apps().deployments().inNamespace("keda-test").withName(deployment).get(), out);
            ConfigMap routes = client.configMaps().inNamespace("keda-test").withName("ddbstream-scaler-routes").get();
            assertNotNull(routes, out);
            Map<String, String> onDisk = new TreeMap<>();
            try (Stream<Path> files = Files.list(Manifests.REPO.resolve("routes"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                    onDisk.put(f.getFileName().toString(), Files.readString(f));
                }
            }
            assertEquals(onDisk, new TreeMap<>(routes.getData()));
        }
    }

    private static String kubectl(Path kubeconfig, String... args) throws InterruptedException {
        String[] command = Stream.concat(Stream.of("kubectl", "--kubeconfig", kubeconfig.toString()), Stream.of(args))
                .toArray(String[]::new);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl did not finish in 60 s: " + out);
            }
            assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed: " + out);
            return out;
        } catch (IOException e) {
            RequiredTool.missing("kubectl is not on PATH: " + e.getMessage(), RequiredTool.KUBECTL);
            throw new IllegalStateException(e);
        }
    }
}
