package io.ddbstreamscaler.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Renders k8s/ with `kubectl kustomize` and parses the result with fabric8's model, as the API server would see it. */
final class Manifests {

    /** The repository root: surefire runs in the module directory. */
    static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final Path K8S = REPO.resolve("k8s");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /** Every object of one overlay, each parsed into its model class (GenericKubernetesResource for CRDs). */
    static List<HasMetadata> render(String overlay) {
        return parse(kustomize(K8S.resolve("overlays").resolve(overlay)));
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

    static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
    }

    /**
     * `kubectl kustomize --load-restrictor LoadRestrictionsNone`: the routes ConfigMap is generated from the
     * repository's routes/, outside k8s/ (docs/deploy.md). Skips (not fails) where kubectl is missing.
     */
    private static String kustomize(Path dir) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                    dir.toString()).redirectErrorStream(false).start();
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
            assumeTrue(false, "kubectl is not on PATH: " + e.getMessage());
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
