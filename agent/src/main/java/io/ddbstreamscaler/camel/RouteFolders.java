package io.ddbstreamscaler.camel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** Where the agent's YAML DSL routes are: the folder a user names, the image's, the repository's; or the jar's copy. */
public final class RouteFolders {

    /** The image's routes folder (the Dockerfile copies routes/ there; the overlays mount the ConfigMap there). */
    public static final Path IMAGE = Path.of("/opt/ddbstream-scaler/routes");
    /** The route files the agent ships, packed into its jar too. */
    public static final List<String> SHIPPED = List.of("error-handling.camel.yaml", "scale-loop.camel.yaml", "sinks.camel.yaml");

    private RouteFolders() {
    }

    /**
     * --routes, else $SCALER_ROUTES, else the image's folder, else ./routes, else the repository's routes/ beside the
     * build's target/ (a run from another directory). The first of the last three that exists; ./routes when none.
     */
    public static Path locate(Path option, Function<String, String> env, Path agentJar) {
        return locate(option, env, agentJar, Path.of("routes"), IMAGE);
    }

    static Path locate(Path option, Function<String, String> env, Path agentJar, Path here, Path image) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.apply("SCALER_ROUTES");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv.trim());
        }
        if (Files.isDirectory(image)) {
            return image;
        }
        if (!Files.isDirectory(here) && agentJar != null && agentJar.toAbsolutePath().getParent() != null) {
            Path besideBuild = agentJar.toAbsolutePath().getParent().resolveSibling("routes");
            if (Files.isDirectory(besideBuild)) {
                return besideBuild;
            }
        }
        return here;
    }

    /** Copies the routes packed in the agent's jar to {@code dir}, for a tool run away from the repository. */
    public static Path extractShipped(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : SHIPPED) {
            try (InputStream in = RouteFolders.class.getResourceAsStream("/routes/" + name)) {
                if (in == null) {
                    throw new IOException("route file " + name + " is not in the agent's jar");
                }
                Files.copy(in, dir.resolve(name));
            }
        }
        return dir;
    }
}
