package io.ddbstreamscaler.tools;

import java.nio.file.Files;
import java.nio.file.Path;

/** The agent's jar the tools run: the build puts the tools in target/tools/, beside target/ddbstream-scaler.jar. */
public final class AgentJars {

    private AgentJars() {
    }

    /** The agent's jar beside the tools, else target/ddbstream-scaler.jar from here; null when neither exists. */
    public static Path agentJar() {
        try {
            Path self = Path.of(AgentJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = self.toAbsolutePath().getParent().getParent().resolve("ddbstream-scaler.jar");
            if (Files.isRegularFile(beside)) {
                return beside;
            }
        } catch (Exception e) {
            // No code source (an unusual class loader): fall back to the build's jar.
        }
        Path built = Path.of("target", "ddbstream-scaler.jar");
        return Files.isRegularFile(built) ? built : null;
    }
}
