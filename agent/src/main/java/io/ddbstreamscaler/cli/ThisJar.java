package io.ddbstreamscaler.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the running agent's jar is: the routes folder of a build and the tools jar are found beside it. */
final class ThisJar {

    private ThisJar() {
    }

    /** The agent's jar; from the build's classes folder (the tests), the jar the build makes beside it. */
    static Optional<Path> path() {
        try {
            Path location = Path.of(ThisJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.of(Files.isDirectory(location) ? location.resolveSibling("ddbstream-scaler.jar") : location);
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
