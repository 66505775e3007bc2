package io.ddbstreamscaler.scale;

import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scale port at its wire: the fabric8 client against the simulator's API server, asserting verb and path. */
class Fabric8ScaleTargetIT {

    static final String NS = "keda-test";
    static final ScaleTargetRef DEPLOYMENT = new ScaleTargetRef("apps/v1", "Deployment", "nginx-deployment");
    static final ScaleTargetRef STATEFULSET = new ScaleTargetRef("apps/v1", "StatefulSet", "consumer");
    static final String DEPLOYMENT_SCALE = "/apis/apps/v1/namespaces/keda-test/deployments/nginx-deployment/scale";

    KubeApiSimulator kube;
    KubernetesClient client;
    Fabric8ScaleTarget target;

    @BeforeEach
    void start(@TempDir Path dir) {
        kube = KubeApiSimulator.start();
        kube.createDeployment(NS, "nginx-deployment", 2, Map.of("app", "nginx"));
        kube.createStatefulSet(NS, "consumer", 1, Map.of("app", "consumer"));
        // The agent's client comes from a kubeconfig, as in a real install.
        client = KubeClients.create(kube.writeKubeconfig(dir.resolve("kubeconfig"), NS));
        target = new Fabric8ScaleTarget(client);
        kube.dispatcher().clearLog();
    }

    @AfterEach
    void stop() {
        client.close();
        kube.close();
    }

    @Test
    void readsTheDeploymentReplicasFromTheScaleSubresource() {
        assertEquals(2, target.currentReplicas(NS, DEPLOYMENT));
        assertEquals(1, kube.dispatcher().requests("GET", DEPLOYMENT_SCALE).size());
    }

    @Test
    void writesThroughScaleAndTheParentFollows() {
        ScaleTarget.ScaleResult result = target.scale(NS, DEPLOYMENT, 5);
        assertEquals(new ScaleTarget.ScaleResult(2, 5, true, 1), result);
        assertEquals(1, kube.dispatcher().requests("PUT", DEPLOYMENT_SCALE).size());
        assertEquals(5, kube.specReplicas("apps/v1", "Deployment", NS, "nginx-deployment"));
        assertEquals(5, target.currentReplicas(NS, DEPLOYMENT));
    }

    @Test
    void aTargetAtZeroReadsAsZeroThoughTheScaleLeavesReplicasOut() {
        // The API server omits a Scale's spec.replicas when it is 0; read as 1, a target at 0 was written 0 on every
        // poll and never counted as inactive (found by cluster-tests' SidecarGuardIT on a real API server).
        target.scale(NS, DEPLOYMENT, 0);
        kube.dispatcher().clearLog();

        assertEquals(0, target.currentReplicas(NS, DEPLOYMENT));
        assertFalse(target.scale(NS, DEPLOYMENT, 0).written());
        assertTrue(kube.dispatcher().requests("PUT", ".*/scale").isEmpty());
    }

    @Test
    void noWriteWhenTheCountIsAlreadyRight() {
        ScaleTarget.ScaleResult result = target.scale(NS, DEPLOYMENT, 2);
        assertFalse(result.written());
        assertTrue(kube.dispatcher().requests("PUT", ".*/scale").isEmpty());
        assertTrue(kube.dispatcher().requests("PATCH", ".*/scale").isEmpty());
    }

    @Test
    void scalesAStatefulSet() {
        target.scale(NS, STATEFULSET, 3);
        assertEquals(1, kube.dispatcher().requests("PUT", "/apis/apps/v1/namespaces/keda-test/statefulsets/consumer/scale").size());
        assertEquals(3, kube.specReplicas("apps/v1", "StatefulSet", NS, "consumer"));
    }

    @Test
    void aConflictIsReReadAndRetried() {
        kube.dispatcher().inject("PUT", DEPLOYMENT_SCALE, 409, 2);
        ScaleTarget.ScaleResult result = target.scale(NS, DEPLOYMENT, 4);
        assertEquals(3, result.attempts());
        assertEquals(3, kube.dispatcher().requests("GET", DEPLOYMENT_SCALE).size(), "each attempt re-reads the Scale");
        assertEquals(4, kube.specReplicas("apps/v1", "Deployment", NS, "nginx-deployment"));
    }

    @Test
    void aStaleResourceVersionIsAConflictAtTheServer() {
        // Another writer changes the Deployment between our read and our write: the server answers 409.
        var stale = client.apps().deployments().inNamespace(NS).withName("nginx-deployment").scale();
        kube.client().apps().deployments().inNamespace(NS).withName("nginx-deployment")
                .edit(d -> { d.getMetadata().getLabels(); d.getMetadata().setLabels(Map.of("touched", "yes")); return d; });
        stale.getSpec().setReplicas(9);
        var error = assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                () -> client.apps().deployments().inNamespace(NS).withName("nginx-deployment").scale(stale));
        assertEquals(409, error.getCode());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("403 on read names the missing RBAC rule", "GET", 403, ScaleException.Kind.FORBIDDEN,
                        "resources: [\"deployments/scale\"], resourceNames: [\"nginx-deployment\"], verbs: [\"get\"]"),
                Arguments.of("403 on write names the update rule", "PUT", 403, ScaleException.Kind.FORBIDDEN,
                        "verbs: [\"update\"]"),
                Arguments.of("404 points at scaleTargetRef", "GET", 404, ScaleException.Kind.NOT_FOUND, "scaleTargetRef"),
                Arguments.of("409 forever gives up after the bounded retries", "PUT", 409, ScaleException.Kind.CONFLICT,
                        "conflict (409) persisted"),
                Arguments.of("500 is unavailable", "GET", 500, ScaleException.Kind.UNAVAILABLE, "unavailable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failuresAreTypedWithAMessageThatSaysWhatToDo(String name, String method, int status, ScaleException.Kind kind,
                                                       String inMessage) {
        kube.dispatcher().inject(method, DEPLOYMENT_SCALE, status, -1);
        ScaleException error = assertThrows(ScaleException.class, () -> target.scale(NS, DEPLOYMENT, 7));
        assertEquals(kind, error.kind());
        assertTrue(error.getMessage().contains(inMessage), error.getMessage());
        kube.dispatcher().clearFaults();
        assertEquals(2, kube.specReplicas("apps/v1", "Deployment", NS, "nginx-deployment"), "no write happened");
    }

    @Test
    void anApiServerThatIsGoneIsUnavailableAndComingBackHeals() {
        kube.goDown();
        ScaleException error = assertThrows(ScaleException.class, () -> target.currentReplicas(NS, DEPLOYMENT));
        assertEquals(ScaleException.Kind.UNAVAILABLE, error.kind());
        kube.comeBack();
        assertEquals(2, target.currentReplicas(NS, DEPLOYMENT));
    }

    @Test
    void clusterSecretsAreDecoded() {
        kube.createSecret(NS, "test-secrets", Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r"));
        ClusterSecretSource secrets = new ClusterSecretSource(client);
        assertEquals(Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r"), secrets.find(NS, "test-secrets").orElseThrow());
        assertTrue(secrets.find(NS, "absent").isEmpty());
    }

    @Test
    void theSidecarGuardFollowsPodToReplicaSetToDeployment() {
        var rs = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withNewMetadata().withName("nginx-deployment-abc").withNamespace(NS)
                .withOwnerReferences(KubeApiSimulator.controllerRef("Deployment", "nginx-deployment")).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "nginx")).endSelector().endSpec().build();
        kube.client().apps().replicaSets().inNamespace(NS).resource(rs).create();
        kube.createPod(NS, "nginx-deployment-abc-1", Map.of("app", "nginx"),
                KubeApiSimulator.controllerRef("ReplicaSet", "nginx-deployment-abc"));
        kube.createPod(NS, "standalone-agent", Map.of("app", "agent"), null);
        assertTrue(new PodOwnership(client, "nginx-deployment-abc-1", NS).ownedBy(NS, DEPLOYMENT));
        assertFalse(new PodOwnership(client, "standalone-agent", NS).ownedBy(NS, DEPLOYMENT));
        assertFalse(new PodOwnership(client, null, null).ownedBy(NS, DEPLOYMENT));
    }
}
