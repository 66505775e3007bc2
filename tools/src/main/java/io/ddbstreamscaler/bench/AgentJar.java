package io.ddbstreamscaler.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The built agent the scenarios start as the image would: its jar, the java running the bench, the image's flags. */
final class AgentJar {

    private AgentJar() {
    }

    static boolean usable(BenchSettings settings, PrintStream out, String scenario) {
        if (settings.agentJar() == null || !Files.isRegularFile(settings.agentJar())) {
            out.println(scenario + ": skipped: no agent jar " + (settings.agentJar() == null ? "found" : "at " + settings.agentJar())
                    + "; build it with `mvn -B -o package -DskipTests` and pass --jar target/ddbstream-scaler.jar");
            return false;
        }
        return true;
    }

    /** The java command of this JVM, so the agent runs on the same runtime as the bench. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static ExternalAgent.Launch launch(BenchSettings settings, SimulatedFleet fleet, Path work, List<String> extraFlags)
            throws IOException {
        return new ExternalAgent.Launch(java(), settings.agentJar(), ShippedJvm.JAVA_TOOL_OPTIONS, extraFlags,
                fleet.triggers, settings.routes(), fleet.kubeconfig, ExternalAgent.freePort(), work);
    }
}
