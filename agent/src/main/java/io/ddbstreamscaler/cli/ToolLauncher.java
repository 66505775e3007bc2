package io.ddbstreamscaler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code demo} and {@code bench}: development tools that are not part of the agent. They live in the tools jar that a
 * build of the repository puts in {@code tools/} beside the agent's jar; these commands start it in a JVM of its own
 * with the same arguments, so the agent's jar, its lib/ and its image hold no simulator, mock server or benchmark.
 */
abstract class ToolLauncher implements Callable<Integer> {

    static final String TOOLS_JAR = "tools/ddbstream-scaler-tools.jar";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String tool = spec.name();
        Optional<Path> toolsJar = toolsJar(ThisJar.path());
        if (toolsJar.isEmpty()) {
            spec.commandLine().getErr().println(tool + " is a development tool and is not part of this installation "
                    + "(the agent's image ships the agent alone): run it from a build of the repository, "
                    + "`mvn -B -q package -DskipTests && java -jar target/ddbstream-scaler.jar " + tool + "`");
            return 2;
        }
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", toolsJar.get().toString(), tool));
        command.addAll(args);
        Process process = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches both JVMs; when only this one is stopped, the tool is stopped with it.
        Thread stopTool = new Thread(process::destroy, tool + "-stop");
        Runtime.getRuntime().addShutdownHook(stopTool);
        try {
            return process.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopTool);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or has run: nothing to remove
            }
        }
    }

    /** The tools jar beside the agent's jar, when this is a build of the repository. */
    static Optional<Path> toolsJar(Optional<Path> agentJar) {
        return agentJar.map(jar -> jar.toAbsolutePath().getParent())
                .map(dir -> dir.resolve(TOOLS_JAR))
                .filter(Files::isRegularFile);
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    @Command(name = "demo", description = "Run the agent against the built-in AWS simulator and an embedded Kubernetes "
            + "API (a development tool: from a build of the repository; `demo --help` lists its options).")
    static final class Demo extends ToolLauncher {
    }

    @Command(name = "bench", description = "The benchmarks, against in-process simulators (a development tool: from a "
            + "build of the repository; `bench --help` lists its options).")
    static final class Bench extends ToolLauncher {
    }
}
