package io.ddbstreamscaler.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Renders k8s/ with `kubectl kustomize` and parses the result with fabric8's model, as the API server would see it. */
final class Manifests {

    /** The repository root: surefire runs in the module directory. */
    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path K8S = REPO.resolve("k8s");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /** Every object of one overlay, each parsed into its model class (GenericKubernetesResource for CRDs). */
    static List<HasMetadata> render(String overlay) {
        return parse(kustomize(K8S.resolve("overlays").resolve(overlay)));
    }

    /** Every object a kustomization directory renders (the examples under k8s/examples, a user's copy of one). */
    static List<HasMetadata> renderDir(Path dir) {
        return parse(kustomize(dir));
    }

    /** What `kubectl kustomize` says on stderr when it refuses to render {@code dir}. */
    static String kustomizeError(Path dir) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
            String err;
            try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
                stdout.readAllBytes();
                err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
            }
            assertEquals(1, process.exitValue(), () -> "kubectl kustomize " + dir + " rendered, expected a refusal");
            return err;
        } catch (IOException e) {
            RequiredTool.missing("kubectl is not on PATH: " + e.getMessage(), RequiredTool.KUBECTL);
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        return List.of((HasMetadata) parsed);
    }

    static List<HasMetadata> parseFile(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type, String name) {
        List<HasMetadata> found = objects.stream()
                .filter(o -> type.isInstance(o) && name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), () -> "expected one " + type.getSimpleName() + " " + name + " in " + names(objects));
        return (T) found.get(0);
    }

    /** The one object of a kind and name: CRD objects (PodMonitor, PrometheusRule, Integration) share one model class. */
    static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type, String name, String kind) {
        return only(objects.stream().filter(o -> kind.equals(o.getKind())).toList(), type, name);
    }

    static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
    }

    /**
     * Every object of one overlay with a component added, as a user adds it: a kustomization that takes the overlay
     * as its resource and the component under {@code components:}, with the overlay's namespace and labels (which
     * kustomize applies to a component's objects when the component is listed in the overlay itself).
     */
    static List<HasMetadata> renderWithComponent(String overlay, String component) {
        // Rendered once per JVM: kubectl costs a second or so per call on this machine, and nothing mutates the result.
        return WITH_COMPONENT.computeIfAbsent(overlay + "+" + component, k -> renderAnew(overlay, component, Map.of()));
    }

    /** The same, with more kustomization fields (e.g. the `patches:` docs/deploy.md shows). */
    static List<HasMetadata> renderWithComponent(String overlay, String component, Map<String, Object> more) {
        return renderAnew(overlay, component, more);
    }

    private static final Map<String, List<HasMetadata>> WITH_COMPONENT = new java.util.concurrent.ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private static List<HasMetadata> renderAnew(String overlay, String component, Map<String, Object> more) {
        Path overlayDir = K8S.resolve("overlays").resolve(overlay);
        try {
            Map<String, Object> own = new org.yaml.snakeyaml.Yaml().load(Files.readString(overlayDir.resolve("kustomization.yaml")));
            Map<String, Object> wrapper = new LinkedHashMap<>();
            wrapper.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
            wrapper.put("kind", "Kustomization");
            for (String inherited : List.of("namespace", "labels")) {
                if (own.containsKey(inherited)) {
                    wrapper.put(inherited, own.get(inherited));
                }
            }
            // Under target/, and relative paths: kustomize refuses absolute ones.
            Path dir = Files.createTempDirectory(Files.createDirectories(REPO.resolve("target")),
                    "kustomize-" + overlay + "-" + component);
            wrapper.put("resources", List.of(dir.relativize(overlayDir).toString()));
            wrapper.put("components", List.of(dir.relativize(K8S.resolve("components").resolve(component)).toString()));
            wrapper.putAll(more);
            try {
                Files.writeString(dir.resolve("kustomization.yaml"), new org.yaml.snakeyaml.Yaml().dump(wrapper));
                return parse(kustomize(dir));
            } finally {
                Files.deleteIfExists(dir.resolve("kustomization.yaml"));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Plain `kubectl kustomize`, kustomize's default load restrictor, as `kubectl apply -k`, Argo CD and Flux render:
     * the routes ConfigMap comes from routes/kustomization.yaml (docs/deploy.md). Where kubectl is missing: a skip on a
     * developer's machine, a failure in CI ({@link RequiredTool}).
     */
    private static String kustomize(Path dir) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            String out;
            String err;
            try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
                out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
                err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
            }
            assertEquals(0, process.exitValue(), () -> "kubectl kustomize " + dir + " failed: " + err);
            return out;
        } catch (IOException e) {
            RequiredTool.missing("kubectl is not on PATH: " + e.getMessage(), RequiredTool.KUBECTL);
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
