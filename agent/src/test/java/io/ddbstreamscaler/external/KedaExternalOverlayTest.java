package io.ddbstreamscaler.external;

import io.ddbstreamscaler.ship.RequiredTool;
import io.ddbstreamscaler.trigger.ExternalTriggerMetadata;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * k8s/overlays/keda-external rendered by kubectl kustomize: the sample ScaledObject's scalerAddress names the
 * Service, the Service reaches the port the agent listens on (SCALER_GRPC_PORT), and the sample's metadata is valid
 * for the parser the gRPC server uses.
 */
class KedaExternalOverlayTest {

    static final Path OVERLAY = Path.of("").toAbsolutePath()
            .resolve("k8s/overlays/keda-external");
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Test
    void theSampleScaledObjectReachesTheAgentsGrpcPortWithValidMetadata() throws Exception {
        List<HasMetadata> objects = render();
        Service service = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals("ddbstream-scaler")).findFirst().orElseThrow();
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        var servicePort = service.getSpec().getPorts().get(0);
        var containerPort = container.getPorts().stream().filter(p -> servicePort.getTargetPort().getStrVal()
                .equals(p.getName())).findFirst().orElseThrow();
        String grpcPortEnv = container.getEnv().stream().filter(e -> e.getName().equals("SCALER_GRPC_PORT"))
                .findFirst().orElseThrow().getValue();

        var example = (GenericKubernetesResource) YAML.unmarshal(Files.readString(OVERLAY.resolve("scaledobject-example.yaml")));
        @SuppressWarnings("unchecked")
        var trigger = ((List<Map<String, Object>>) ((Map<String, Object>) example.getAdditionalProperties().get("spec"))
                .get("triggers")).get(0);
        @SuppressWarnings("unchecked")
        var metadata = (Map<String, String>) trigger.get("metadata");
        String address = service.getMetadata().getName() + "." + service.getMetadata().getNamespace()
                + ".svc.cluster.local:" + servicePort.getPort();

        assertAll(
                () -> assertEquals("external-push", trigger.get("type")),
                () -> assertEquals(address, metadata.get("scalerAddress")),
                () -> assertEquals(Integer.valueOf(grpcPortEnv), containerPort.getContainerPort()),
                () -> assertEquals(service.getMetadata().getNamespace(), example.getMetadata().getNamespace()),
                () -> assertEquals("keda-events", ExternalTriggerMetadata.fromExternalMetadata(metadata,
                        example.getMetadata().getNamespace(), example.getMetadata().getName()).tableName()));
    }

    static List<HasMetadata> render() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize",
                    OVERLAY.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            RequiredTool.missing("kubectl is not installed", RequiredTool.KUBECTL);
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        @SuppressWarnings("unchecked")
        List<HasMetadata> objects = (List<HasMetadata>) YAML.unmarshal(out);
        return objects;
    }
}
