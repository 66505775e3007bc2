package io.ddbstreamscaler.simulator;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An embedded Kubernetes API server for the demo, the benchmarks and the tests: fabric8's mock server in CRUD mode,
 * wrapped by {@link KubeApiDispatcher} so that {@code /scale} behaves as the real API server's does, discovery answers
 * kubectl, faults can be injected and every request is logged. Listens on 127.0.0.1 only.
 */
public final class KubeApiSimulator implements AutoCloseable {

    /** The mock web server logs every request at INFO through java.util.logging; held so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubeApiDispatcher dispatcher = new KubeApiDispatcher(new KubernetesCrudDispatcher());
    private KubernetesMockServer server;
    private KubernetesClient client;
    private int port;

    /** Starts on an ephemeral port. */
    public static KubeApiSimulator start() {
        KubeApiSimulator sim = new KubeApiSimulator();
        sim.listen(0);
        return sim;
    }

    private void listen(int onPort) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), onPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getPort();
        if (client != null) {
            client.close();
        }
        client = server.createClient();
    }

    /** The API server's URL, e.g. http://127.0.0.1:41234. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A client of the simulator, for fixtures (the agent builds its own from a kubeconfig). */
    public KubernetesClient client() {
        return client;
    }

    public KubeApiDispatcher dispatcher() {
        return dispatcher;
    }

    public List<KubeApiDispatcher.LoggedRequest> requests() {
        return dispatcher.requests();
    }

    /** Simulates the API server going away: connections are refused until {@link #comeBack()}. */
    public void goDown() {
        server.shutdown();
    }

    /** The API server returns on the same port, with the objects it had. */
    public void comeBack() {
        listen(port);
    }

    /** Writes a kubeconfig pointing at this server (context "simulator", namespace {@code namespace}). */
    public Path writeKubeconfig(Path file, String namespace) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: simulator
                  cluster:
                    server: %s
                contexts:
                - name: simulator
                  context:
                    cluster: simulator
                    user: simulator
                    namespace: %s
                current-context: simulator
                users:
                - name: simulator
                  user:
                    token: simulator-token
                """.formatted(url(), namespace);
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public Deployment createDeployment(String namespace, String name, int replicas, Map<String, String> podLabels) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().addNewContainer().withName("consumer").withImage("consumer:1").endContainer().endSpec()
                .endTemplate().endSpec()
                // Nothing writes status in a mock: a status as a controller would have written it.
                .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).endStatus()
                .build();
        return client.apps().deployments().inNamespace(namespace).resource(deployment).create();
    }

    public StatefulSet createStatefulSet(String namespace, String name, int replicas, Map<String, String> podLabels) {
        StatefulSet statefulSet = new StatefulSetBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().addNewContainer().withName("consumer").withImage("consumer:1").endContainer().endSpec()
                .endTemplate().endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).endStatus()
                .build();
        return client.apps().statefulSets().inNamespace(namespace).resource(statefulSet).create();
    }

    /** A Running, Ready pod (leader-election candidates must be), optionally owned by a ReplicaSet or StatefulSet. */
    public Pod createPod(String namespace, String name, Map<String, String> labels, OwnerReference owner) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage("ddbstream-scaler").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName("agent").withReady(true).build())
                .endStatus();
        if (owner != null) {
            pod.editMetadata().withOwnerReferences(owner).endMetadata();
        }
        return client.pods().inNamespace(namespace).resource(pod.build()).create();
    }

    public static OwnerReference controllerRef(String kind, String name) {
        String apiVersion = "Pod".equals(kind) ? "v1" : "apps/v1";
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name)
                .withUid(name + "-uid").withController(true).build();
    }

    public void createSecret(String namespace, String name, Map<String, String> values) {
        Map<String, String> data = values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8))));
        client.secrets().inNamespace(namespace)
                .resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .withData(data).build())
                .create();
    }

    /** spec.replicas of a Deployment, StatefulSet or any stored object, as the store holds it. */
    public Integer specReplicas(String apiVersion, String kind, String namespace, String name) {
        GenericKubernetesResource object = client.genericKubernetesResources(apiVersion, kind)
                .inNamespace(namespace).withName(name).get();
        if (object == null) {
            return null;
        }
        Object replicas = ((Map<?, ?>) object.getAdditionalProperties().get("spec")).get("replicas");
        return replicas == null ? null : ((Number) replicas).intValue();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }
}
