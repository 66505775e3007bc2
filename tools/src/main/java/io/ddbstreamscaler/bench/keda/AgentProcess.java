package io.ddbstreamscaler.bench.keda;

import io.ddbstreamscaler.bench.ExternalAgent;
import io.ddbstreamscaler.bench.ShippedJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built agent ({@code target/ddbstream-scaler.jar}) as its own process, as the image runs it (the Dockerfile's JVM
 * flags), on the host: {@code run -f FOLDER --kubeconfig SA-KUBECONFIG} with leader election off and whatever else the
 * caller adds (--grpc-port, TLS files). Its output goes to {@code agent.log} in its folder and is kept in memory for
 * assertions on what it logged.
 */
public final class AgentProcess implements AutoCloseable {

    /**
     * How to start it.
     *
     * @param jar             target/ddbstream-scaler.jar (lib/ beside it)
     * @param routes          the routes folder (the repository's routes/)
     * @param triggers        the trigger files folder
     * @param kubeconfig      the ServiceAccount's kubeconfig (sa-kubeconfig.sh), never the admin's
     * @param workDir         where agent.log goes
     * @param javaToolOptions JAVA_TOOL_OPTIONS: the image's by default
     * @param args            more arguments after run's own (e.g. --grpc-port 0)
     * @param environment     added to the agent's environment (AWS keys of its own, AWS_ENDPOINT_URL_STS, POD_NAME)
     */
    public record Launch(Path jar, Path routes, Path triggers, Path kubeconfig, Path workDir, String javaToolOptions,
                         List<String> args, Map<String, String> environment) {

        public Launch {
            args = List.copyOf(args);
            environment = Map.copyOf(environment);
        }

        public static Launch of(Path jar, Path routes, Path triggers, Path kubeconfig, Path workDir) {
            return new Launch(jar, routes, triggers, kubeconfig, workDir, ShippedJvm.JAVA_TOOL_OPTIONS, List.of(), Map.of());
        }

        public Launch withArgs(String... more) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of(more));
            return new Launch(jar, routes, triggers, kubeconfig, workDir, javaToolOptions, all, environment);
        }

        public Launch withEnvironment(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(environment);
            all.putAll(more);
            return new Launch(jar, routes, triggers, kubeconfig, workDir, javaToolOptions, args, all);
        }

        public Launch withJavaToolOptions(String options) {
            return new Launch(jar, routes, triggers, kubeconfig, workDir, options, args, environment);
        }
    }

    private final Process process;
    private final Path log;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private AgentProcess(Launch launch, int managementPort) throws IOException {
        Files.createDirectories(launch.workDir());
        this.log = launch.workDir().resolve("agent.log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ShippedJvm.ENTRYPOINT_FLAGS);
        command.addAll(List.of("-jar", launch.jar().toString(), "run", "-f", launch.triggers().toString(),
                "--routes", launch.routes().toString(), "--kubeconfig", launch.kubeconfig().toString(),
                "--management-port", Integer.toString(managementPort), "--leader-election", "false"));
        command.addAll(launch.args());
        ProcessBuilder pb = new ProcessBuilder(command).directory(launch.workDir().toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // Nothing of the developer's AWS, Kubernetes or agent settings: only what the launch names.
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_") || k.equals("KUBECONFIG")
                || k.startsWith("POD_") || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("JAVA_TOOL_OPTIONS", launch.javaToolOptions());
        env.put("SCALER_LOG_FORMAT", "text");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", launch.workDir().resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", launch.workDir().resolve("no-aws-credentials").toString());
        env.putAll(launch.environment());
        this.process = pb.start();
        Thread drain = new Thread(this::drain, "agent-output-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    public static AgentProcess start(Launch launch) throws IOException {
        return new AgentProcess(launch, ExternalAgent.freePort());
    }

    /** With its management server (/observe/metrics) on {@code managementPort}. */
    public static AgentProcess start(Launch launch, int managementPort) throws IOException {
        return new AgentProcess(launch, managementPort);
    }

    /** A port nobody listens on now, for the agent to bind a moment later. */
    /**
     * The folder of trigger files an agent of this run will watch, created empty: the bench's work folder outlives a
     * run, and a file an earlier run left there (a larger fleet, a case since renamed) would be loaded with the new
     * ones.
     */
    public static Path emptyTriggerFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        return dir;
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                lines.add(line);
            }
        } catch (IOException e) {
            // The process went away: what it wrote is in the log file.
        }
    }

    /** Waits for a line the agent logs (e.g. "agent started"); fails with its last lines when it exits first. */
    public String awaitLine(Predicate<String> line, Duration atMost) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(atMost);
        while (Instant.now().isBefore(deadline)) {
            var found = lines.stream().filter(line).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new IOException("the agent exited (" + process.exitValue() + ") before the line awaited:\n" + tail());
            }
            // Checked every 100 ms: the agent's start takes seconds.
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new IOException("the agent did not log the line awaited within " + atMost.toSeconds() + " s:\n" + tail());
    }

    /** Every line logged so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String tail() {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM (the agent stops Camel and the gRPC server), SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
