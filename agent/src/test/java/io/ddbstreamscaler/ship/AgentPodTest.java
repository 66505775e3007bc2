package io.ddbstreamscaler.ship;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/**
 * The agent's Deployments in the sidecar and standalone overlays, and on a user's own consumer through
 * k8s/components/sidecar (k8s/examples/sidecar-consumer): probes, hardening, env and paths.
 */
class AgentPodTest {

    /** Where the agent runs in one overlay. */
    /**
     * @param dir            the kustomization rendered: an overlay, or the worked example of the sidecar component
     * @param serviceAccount what the pod runs as: the agent's own, or the consumer's (the component keeps it)
     * @param image          the agent's image after kustomize's {@code images:}
     */
    record Workload(String dir, String deployment, String agentContainer, int containers, String serviceAccount,
                    String image) {
    }

    private static DockerfileModel runtime;

    @BeforeAll
    static void readDockerfile() throws IOException {
        runtime = DockerfileModel.read(Manifests.REPO.resolve("Dockerfile")).stage("runtime");
    }

    static Stream<Arguments> workloads() {
        return Stream.of(
                Arguments.of(named("sidecar: second container of nginx-deployment",
                        new Workload("overlays/sidecar", "nginx-deployment", "ddbstream-scaler", 2, "nginx",
                                "ddbstream-scaler:0.1.0"))),
                Arguments.of(named("standalone: its own Deployment",
                        new Workload("overlays/standalone", "ddbstream-scaler", "ddbstream-scaler", 1, "ddbstream-scaler",
                                "ddbstream-scaler:0.1.0"))),
                Arguments.of(named("the sidecar component on a user's consumer (k8s/examples/sidecar-consumer)",
                        new Workload("examples/sidecar-consumer", "orders-consumer", "ddbstream-scaler", 2,
                                "orders-consumer", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ddbstream-scaler:0.1.0"))));
    }

    @ParameterizedTest(name = "{0}: probes on the management server, /observe/health/live|ready on 9876")
    @MethodSource("workloads")
    void probesPointAtTheManagementServer(Workload w) {
        Container agent = agent(w);
        assertProbe(agent, agent.getLivenessProbe(), "/observe/health/live");
        assertProbe(agent, agent.getStartupProbe(), "/observe/health/live");
        assertProbe(agent, agent.getReadinessProbe(), "/observe/health/ready");
        assertEquals("9876", runtime.single("EXPOSE"), "the image exposes the port the probes use");
    }

    @ParameterizedTest(name = "{0}: every container non-root, read-only root, no capabilities, no escalation")
    @MethodSource("workloads")
    void everyContainerIsHardened(Workload w) {
        PodSpec pod = pod(w);
        assertEquals(w.containers(), pod.getContainers().size());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        for (Container c : pod.getContainers()) {
            SecurityContext sc = c.getSecurityContext();
            assertNotNull(sc, c.getName() + " has no securityContext");
            assertTrue(sc.getRunAsUser() != null && sc.getRunAsUser() > 0, c.getName() + " runs as root");
            assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), c.getName());
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), c.getName());
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName());
            assertNotNull(c.getResources().getLimits().get("memory"), c.getName() + " has no memory limit");
            assertNotNull(c.getResources().getRequests().get("memory"), c.getName() + " has no memory request");
        }
    }

    @ParameterizedTest(name = "{0}: the agent runs as the image's numeric user")
    @MethodSource("workloads")
    void agentRunsAsTheImageUser(Workload w) {
        SecurityContext sc = agent(w).getSecurityContext();
        assertEquals(runtime.single("USER"), sc.getRunAsUser() + ":" + sc.getRunAsGroup());
    }

    @ParameterizedTest(name = "{0}: SCALER_CONFIG and SCALER_ROUTES equal the image's and are mounted there")
    @MethodSource("workloads")
    void configAndRoutesAreMountedWhereTheImageLooks(Workload w) {
        Container agent = agent(w);
        Map<String, String> env = agent.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        Map<String, String> mounts = agent.getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
        Map<String, String> volumeToConfigMap = pod(w).getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .collect(Collectors.toMap(v -> v.getName(), v -> v.getConfigMap().getName()));

        for (Map.Entry<String, String> row : Map.of("SCALER_CONFIG", "ddbstream-scaler-triggers",
                "SCALER_ROUTES", "ddbstream-scaler-routes").entrySet()) {
            String path = runtime.env().get(row.getKey());
            assertEquals(path, env.get(row.getKey()), row.getKey() + " differs from the Dockerfile's");
            assertEquals(row.getValue(), volumeToConfigMap.get(mounts.get(path)), "ConfigMap mounted at " + path);
        }
        assertTrue(mounts.containsKey("/tmp"), "no writable /tmp for a read-only root");
        assertTrue(runtime.contextCopySources().contains("routes/"), "the image bakes routes/ in");
    }

    @ParameterizedTest(name = "{0}: Downward API env turns leader election on; the pod is a candidate")
    @MethodSource("workloads")
    void leaderElectionIsWired(Workload w) {
        Map<String, String> fieldRefs = agent(w).getEnv().stream().filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
        assertEquals(Map.of("POD_NAME", "metadata.name", "POD_NAMESPACE", "metadata.namespace"), fieldRefs);
        assertEquals("auto", value(agent(w), "SCALER_LEADER_ELECTION"));
        assertEquals("ddbstream-scaler", deployment(w).getSpec().getTemplate().getMetadata().getLabels()
                .get("app.kubernetes.io/part-of"));
        assertEquals(w.serviceAccount(), pod(w).getServiceAccountName());
    }

    @ParameterizedTest(name = "{0}: the image kustomize sets, running the default command")
    @MethodSource("workloads")
    void agentRunsTheImage(Workload w) {
        assertEquals(w.image(), agent(w).getImage());
        assertEquals(List.of("run"), agent(w).getArgs());
        assertEquals(Set.of("SCALER_DRY_RUN", "SCALER_LOG_FORMAT"), Stream.of("SCALER_DRY_RUN", "SCALER_LOG_FORMAT")
                .filter(k -> value(agent(w), k) != null).collect(Collectors.toSet()));
    }

    private static void assertProbe(Container agent, Probe probe, String path) {
        assertNotNull(probe, "missing probe for " + path);
        assertEquals(path, probe.getHttpGet().getPath());
        Function<String, Integer> portByName = name -> agent.getPorts().stream()
                .filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst().orElse(null);
        var port = probe.getHttpGet().getPort();
        assertEquals(9876, port.getIntVal() != null ? port.getIntVal() : portByName.apply(port.getStrVal()));
    }

    private static String value(Container c, String name) {
        return c.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst().orElse(null);
    }

    private static Deployment deployment(Workload w) {
        return Manifests.only(Manifests.renderDir(Manifests.K8S.resolve(w.dir())), Deployment.class, w.deployment());
    }

    private static PodSpec pod(Workload w) {
        return deployment(w).getSpec().getTemplate().getSpec();
    }

    private static Container agent(Workload w) {
        return pod(w).getContainers().stream().filter(c -> w.agentContainer().equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + w.agentContainer() + " in " + w.deployment()));
    }
}
