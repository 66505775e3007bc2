package io.ddbstreamscaler.ship;

import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k8s/components/sidecar on a user's own consumer (k8s/examples/sidecar-consumer: a Deployment whose ServiceAccount
 * carries an IRSA role), rendered with plain `kubectl kustomize`: the agent joins the consumer's pod, the consumer keeps
 * its identity, the Role names the consumer and is bound to its ServiceAccount. AgentPodTest checks the agent container
 * itself (probes, hardening, mounts) on the same render.
 */
class SidecarComponentTest {

    static final Path EXAMPLE = Manifests.K8S.resolve("examples/sidecar-consumer");
    static List<HasMetadata> objects;

    @BeforeAll
    static void render() {
        objects = Manifests.renderDir(EXAMPLE);
    }

    static Deployment consumer() {
        return Manifests.only(objects, Deployment.class, "orders-consumer");
    }

    @Test
    void exactlyTheConsumersObjectsAndTheAgentsAllInTheConsumersNamespace() {
        assertEquals(Set.of("ServiceAccount orders-consumer", "Deployment orders-consumer", "Role ddbstream-scaler",
                        "RoleBinding ddbstream-scaler", "ConfigMap ddbstream-scaler-routes", "ConfigMap ddbstream-scaler-triggers"),
                Set.copyOf(Manifests.names(objects)), "no agent ServiceAccount, no spec example");
        assertTrue(objects.stream().allMatch(o -> "shop".equals(o.getMetadata().getNamespace())));
    }

    @Test
    void theConsumerKeepsItsContainerFirstItsVolumesAndItsServiceAccountWithItsIamRole() {
        PodTemplateSpec pod = consumer().getSpec().getTemplate();
        ServiceAccount account = Manifests.only(objects, ServiceAccount.class, "orders-consumer");
        assertAll(
                () -> assertEquals(List.of("consumer", "ddbstream-scaler"),
                        pod.getSpec().getContainers().stream().map(Container::getName).toList(),
                        "the consumer's container stays first: kubectl logs and exec default to it"),
                () -> assertEquals(List.of("ddbstream-scaler-triggers", "ddbstream-scaler-routes", "ddbstream-scaler-tmp", "tmp"),
                        pod.getSpec().getVolumes().stream().map(Volume::getName).toList()),
                () -> assertEquals("orders-consumer", pod.getSpec().getServiceAccountName(), "not replaced by the agent's"),
                () -> assertEquals("arn:aws:iam::111122223333:role/orders-consumer",
                        account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn")),
                () -> assertEquals(Map.of("app", "orders-consumer", "app.kubernetes.io/part-of", "ddbstream-scaler"),
                        pod.getMetadata().getLabels(), "the election label on the pod, the selector's label kept"),
                () -> assertEquals(Map.of("app", "orders-consumer"), consumer().getSpec().getSelector().getMatchLabels()),
                () -> assertEquals("111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders-consumer:1.4.2",
                        pod.getSpec().getContainers().get(0).getImage(), "images: renames the agent's image only"));
    }

    @Test
    void theRoleNamesTheConsumerAndNoSecretAndIsBoundToItsServiceAccount() {
        Role role = Manifests.only(objects, Role.class, "ddbstream-scaler");
        RoleBinding binding = Manifests.only(objects, RoleBinding.class, "ddbstream-scaler");
        Map<String, List<String>> names = role.getRules().stream().filter(r -> r.getResourceNames() != null
                && !r.getResourceNames().isEmpty()).collect(Collectors.toMap(r -> r.getResources().get(0),
                r -> r.getResourceNames()));
        assertAll(
                () -> assertEquals(Map.of("deployments/scale", List.of("orders-consumer")), names),
                () -> assertFalse(role.getRules().stream().anyMatch(r -> r.getResources().contains("secrets")),
                        "an identity of its own needs no Secret"),
                () -> assertEquals(List.of("ServiceAccount/orders-consumer/shop"), binding.getSubjects().stream()
                        .map(s -> s.getKind() + "/" + s.getName() + "/" + s.getNamespace()).toList()));
    }

    @Test
    void theTriggerConfigMapIsTheUsersScaledObjectAndItLoads() throws IOException {
        ConfigMap triggers = Manifests.only(objects, ConfigMap.class, "ddbstream-scaler-triggers");
        assertEquals(Set.of("scaledobject.yaml"), triggers.getData().keySet());
        assertEquals(Files.readString(EXAMPLE.resolve("scaledobject.yaml")), triggers.getData().get("scaledobject.yaml"));

        LoadResult loaded = new TriggerConfigLoader(SecretSource.none(), name -> null, true)
                .load(List.of(EXAMPLE.resolve("scaledobject.yaml")));
        assertEquals(List.of(), loaded.errors());
        assertEquals(List.of("shop/orders-consumer"), loaded.scaledObjects().stream().map(o -> o.id()).toList());
        assertEquals("orders-consumer", loaded.scaledObjects().get(0).scaleTarget().name());
    }

    @Test
    void theSidecarOverlayIsTheSameComponentOnTheSpecsConsumer() {
        Container here = consumer().getSpec().getTemplate().getSpec().getContainers().get(1);
        Deployment nginx = Manifests.only(Manifests.render("sidecar"), Deployment.class, "nginx-deployment");
        Container there = nginx.getSpec().getTemplate().getSpec().getContainers().get(1);
        here.setImage(there.getImage());
        assertEquals(there, here, "one agent container, from the component");
    }

    @Test
    void docsDeployShowsTheExampleAsItIs() throws IOException {
        String doc = Files.readString(Manifests.REPO.resolve("docs/deploy.md"));
        for (String file : List.of("kustomization.yaml", "scaledobject.yaml")) {
            assertTrue(doc.contains("```yaml\n" + Files.readString(EXAMPLE.resolve(file)) + "```\n"),
                    () -> "docs/deploy.md does not show k8s/examples/sidecar-consumer/" + file + " as it is");
        }
    }

    /** A user's copy of the example, outside this repository, the component named by a relative path. */
    static Path userCopy(Path dir) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("my-consumer"));
        for (String file : List.of("kustomization.yaml", "serviceaccount.yaml", "deployment.yaml", "scaledobject.yaml")) {
            Files.copy(EXAMPLE.resolve(file), copy.resolve(file));
        }
        String component = copy.relativize(Manifests.K8S.resolve("components/sidecar")).toString();
        edit(copy.resolve("kustomization.yaml"), "- ../../components/sidecar", "- " + component);
        return copy;
    }

    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), () -> file + " lacks " + from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void aKustomizationOutsideThisRepositoryRendersItWithKustomizesDefaultLoadRestrictor(@TempDir Path dir)
            throws IOException {
        List<HasMetadata> rendered = Manifests.renderDir(userCopy(dir));
        assertEquals(Set.copyOf(Manifests.names(objects)), Set.copyOf(Manifests.names(rendered)));
    }

    interface Edit {
        void apply(Path copy) throws IOException;
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("two Deployments: which one is the consumer is not guessed", (Edit) copy -> {
                    Files.writeString(copy.resolve("other.yaml"),
                            Files.readString(copy.resolve("deployment.yaml")).replace("orders-consumer", "other"));
                    edit(copy.resolve("kustomization.yaml"), "  - deployment.yaml\n", "  - deployment.yaml\n  - other.yaml\n");
                }, "multiple matches for selector Deployment"),
                Arguments.of("no Deployment at all", (Edit) copy -> edit(copy.resolve("kustomization.yaml"),
                        "  - deployment.yaml\n", ""), "nothing selected by Deployment"),
                Arguments.of("no serviceAccountName: the Role is never bound to the namespace's default by accident",
                        (Edit) copy -> edit(copy.resolve("deployment.yaml"), "      serviceAccountName: orders-consumer\n", ""),
                        "spec.template.spec.serviceAccountName` is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void kustomizeRefusesRatherThanGuess(String row, Edit change, String message, @TempDir Path dir) throws IOException {
        Path copy = userCopy(dir);
        change.apply(copy);
        String error = Manifests.kustomizeError(copy);
        assertTrue(error.contains(message), error);
    }
}
