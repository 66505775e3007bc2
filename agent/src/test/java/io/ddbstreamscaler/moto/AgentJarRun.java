package io.ddbstreamscaler.moto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built agent, {@code java -jar target/ddbstream-scaler.jar …}, in a process of its own with a clean environment:
 * nothing of the developer's AWS or Kubernetes configuration, only what the test gives (as bench/ExternalAgent does).
 */
final class AgentJarRun implements AutoCloseable {

    static final Path JAR = Path.of("target", "ddbstream-scaler.jar");

    /** What a finished command printed. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread drain;

    private AgentJarRun(Process process) {
        this.process = process;
        this.drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process went away: its lines are in the list
            }
        }, "agent-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Runs a command to its end (stdout and stderr apart). */
    static Result run(Map<String, String> env, Path workDir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process p = builder(env, workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("agent " + List.of(args) + " did not end within 120 s: "
                    + Files.readString(out) + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts a long-running command whose output (stdout and stderr merged) the test follows. */
    static AgentJarRun start(Map<String, String> env, Path workDir, String... args) throws IOException {
        return new AgentJarRun(builder(env, workDir, args).redirectErrorStream(true).start());
    }

    private static ProcessBuilder builder(Map<String, String> env, Path workDir, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `package` (mvn -B verify)");
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile());
        Map<String, String> clean = new TreeMap<>(System.getenv());
        clean.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_") || k.equals("KUBECONFIG")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        clean.put("AWS_EC2_METADATA_DISABLED", "true");
        clean.put("AWS_CONFIG_FILE", workDir.resolve("no-aws-config").toString());
        clean.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-aws-credentials").toString());
        clean.put("SCALER_LOG_FORMAT", "text");
        clean.putAll(env);
        pb.environment().clear();
        pb.environment().putAll(clean);
        return pb;
    }

    /** Waits for a line the agent printed after line {@code from}; returns its index. */
    int await(int from, Predicate<String> line, Duration timeout) throws InterruptedException {
        int[] found = {-1};
        try {
            // Ends early when the agent exits: the lines it printed say why.
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (int i = from; i < lines.size(); i++) {
                    if (line.test(lines.get(i))) {
                        found[0] = i;
                        return true;
                    }
                }
                return !process.isAlive();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below
        }
        if (found[0] >= 0) {
            return found[0];
        }
        throw new AssertionError("no such line within " + timeout.toSeconds() + " s; the agent printed:\n"
                + String.join("\n", lines));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        drain.join(5000);
    }
}
