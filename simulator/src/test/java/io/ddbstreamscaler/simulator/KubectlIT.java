package io.ddbstreamscaler.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * kubectl works against the simulator. Without kubectl on PATH: skipped on a developer's machine, a failure in CI
 * ({@code CI=true}; .ci/run installs kubectl or stops).
 */
class KubectlIT {

    private static KubeApiSimulator sim;
    private static Path kubeconfig;

    @BeforeAll
    static void start(@TempDir Path dir) {
        if (!onPath("kubectl")) {
            String message = "kubectl is not on PATH (kubectl 1.21 or newer; .ci/run requires it)";
            assertFalse("true".equalsIgnoreCase(System.getenv("CI")), message + ": in CI a failure, never a skip");
            assumeTrue(false, message);
        }
        sim = KubeApiSimulator.start();
        kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"), "shop");
        sim.createDeployment("shop", "orders", 2, Map.of("app", "orders"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("get deployment replicas",
                        List.of("get", "deployment", "orders", "-o", "jsonpath={.spec.replicas}"), "2", 2),
                Arguments.of("scale deployment", List.of("scale", "deployment", "orders", "--replicas=4"),
                        "deployment.apps/orders scaled", 4),
                Arguments.of("read back through /scale", List.of("get", "--raw",
                        "/apis/apps/v1/namespaces/shop/deployments/orders/scale"), "\"replicas\":4", 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void kubectlCommands(String name, List<String> args, String expectedOutput, int expectedReplicas)
            throws Exception {
        String out = kubectl(args);

        assertTrue(out.contains(expectedOutput), () -> "kubectl " + args + " printed: " + out);
        assertEquals(expectedReplicas, sim.client().apps().deployments().inNamespace("shop").withName("orders").get()
                .getSpec().getReplicas());
    }

    private static String kubectl(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--request-timeout=5s"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "kubectl finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "kubectl " + args + ": " + out);
        return out;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
