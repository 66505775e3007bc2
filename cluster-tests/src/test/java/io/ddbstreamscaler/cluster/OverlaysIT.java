package io.ddbstreamscaler.cluster;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay of k8s/ as README tells users to apply it ({@code kubectl create namespace keda-test}, then
 * {@code kubectl apply -k k8s/overlays/NAME}): validated by the real API server ({@code --dry-run=server}: schema,
 * defaulting, admission, unknown fields as warnings), then applied, every rendered object found on the server, and
 * each Deployment rolled out (the ReplicaSet controller creates the Pods, the scheduler binds them, kwok runs them).
 * camel-k needs Camel K's Integration CRD: a minimal one (manifests/camel-k-integration-crd.yaml) declares the kind;
 * no operator runs the Integration.
 */
@ExtendWith(ClusterExtension.class)
@Order(1)
class OverlaysIT {

    static final String NAMESPACE = "keda-test";

    static LocalCluster cluster;

    @BeforeAll
    static void namespaceAndCrd(LocalCluster c) {
        cluster = c;
        TestNamespace.create(cluster, NAMESPACE);
        cluster.kubectl("apply", "-f", LocalCluster.resource("manifests/camel-k-integration-crd.yaml").toString());
        cluster.kubectl("wait", "--for=condition=Established", "crd/integrations.camel.apache.org", "--timeout=60s");
    }

    static Stream<Arguments> overlays() {
        return Stream.of(
                Arguments.of("standalone", List.of("deployment/ddbstream-scaler")),
                Arguments.of("sidecar", List.of("deployment/nginx-deployment")),
                Arguments.of("keda-external", List.of("deployment/ddbstream-scaler")),
                Arguments.of("camel-k", List.of()));
    }

    @ParameterizedTest(name = "{0}: kubectl apply -k --dry-run=server passes, with no warning")
    @MethodSource("overlays")
    @Order(1)
    void theApiServerAcceptsTheOverlay(String overlay, List<String> deployments) {
        Result r = cluster.kubectlResult("apply", "-k", overlay(overlay), "--dry-run=server");

        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.all().contains("Warning"), () -> "the API server warned:\n" + r);
        assertEquals(rendered(overlay).size(), r.out().lines().filter(l -> l.endsWith("(server dry run)")).count(), r::toString);
    }

    @ParameterizedTest(name = "{0}: applied for real, every object is on the server and every Deployment rolls out")
    @MethodSource("overlays")
    @Order(2)
    void theOverlayAppliesAndItsPodsRun(String overlay, List<String> deployments) {
        Result applied = cluster.kubectlResult("apply", "-k", overlay(overlay));
        assertEquals(0, applied.exit(), applied::toString);
        assertFalse(applied.all().contains("Warning"), applied::toString);

        Set<String> onServer = new TreeSet<>(cluster.kubectl("get", "-k", overlay(overlay), "-o", "name").lines().toList());
        assertEquals(rendered(overlay), onServer);
        for (String deployment : deployments) {
            Result rollout = cluster.kubectlResult("-n", NAMESPACE, "rollout", "status", deployment, "--timeout=120s");
            assertEquals(0, rollout.exit(), rollout::toString);
            assertTrue(rollout.out().contains("successfully rolled out"), rollout::toString);
        }
    }

    /** What the overlay renders, as kubectl names the objects (kind.group/name). */
    private static Set<String> rendered(String overlay) {
        return new TreeSet<>(cluster.kubectl("apply", "-k", overlay(overlay), "--dry-run=client", "-o", "name").lines().toList());
    }

    private static String overlay(String overlay) {
        return TestNamespace.OVERLAYS.resolve(overlay).toString();
    }
}
