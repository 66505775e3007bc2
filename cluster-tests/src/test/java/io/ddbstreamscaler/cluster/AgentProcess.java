package io.ddbstreamscaler.cluster;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built agent as users run it, {@code java -jar target/ddbstream-scaler.jar run ...}, in a process of its own:
 * the environment is cleaned of the developer's AWS and Kubernetes settings, then given only the kubeconfig of the
 * shipped ServiceAccount, the AWS simulator's endpoint, and what a Pod would get (POD_NAME, POD_NAMESPACE). Its output
 * (stdout and stderr together) is kept for assertions and copied to {@code cluster.work}/agents/NAME.log.
 */
final class AgentProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "ddbstream-scaler.jar");

    /** What the agent needs to run against the suite's cluster and AWS simulator. */
    record Setup(String name, Path kubeconfig, URI awsEndpoint, Map<String, String> env) {
        Setup {
            env = Map.copyOf(env);
        }

        static Setup of(String name, Path kubeconfig, URI awsEndpoint) {
            return new Setup(name, kubeconfig, awsEndpoint, Map.of());
        }

        /** As the agent in that Pod: leader election turns on (SCALER_LEADER_ELECTION=auto) unless --once. */
        Setup asPod(String pod, String namespace) {
            Map<String, String> more = new LinkedHashMap<>(env);
            more.put("POD_NAME", pod);
            more.put("POD_NAMESPACE", namespace);
            return new Setup(name, kubeconfig, awsEndpoint, more);
        }
    }

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread drain;

    private AgentProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    copy.println(line);
                }
            } catch (IOException e) {
                // the process went away: its lines are in the list
            }
        }, "agent-" + name);
        drain.setDaemon(true);
        drain.start();
    }

    /** Starts {@code run ARGS...} with the management server off (the suite's agents share one host). */
    static AgentProcess start(Setup setup, String... args) {
        try {
            Path log = work().resolve("agents").resolve(setup.name() + ".log");
            Files.createDirectories(log.getParent());
            return new AgentProcess(setup.name(), builder(setup, args).redirectErrorStream(true).start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code run --once ARGS...} to its end. */
    static Result once(Setup setup, String... args) {
        try (AgentProcess agent = start(setup, withOnce(args))) {
            if (!agent.process.waitFor(180, TimeUnit.SECONDS)) {
                throw new AssertionError("run --once did not end within 180 s:\n" + agent.output());
            }
            agent.drain.join(10_000);
            return new Result(agent.process.exitValue(), agent.output(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] withOnce(String... args) {
        List<String> all = new ArrayList<>(List.of("--once"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static ProcessBuilder builder(Setup setup, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-jar", JAR.toAbsolutePath().toString(), "run",
                "--kubeconfig", setup.kubeconfig().toString(), "--management-port", "-1"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_") || k.startsWith("DDBSS_")
                || k.equals("KUBECONFIG") || k.startsWith("POD_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", work().resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work().resolve("no-aws-credentials").toString());
        env.put("AWS_ENDPOINT_URL", setup.awsEndpoint().toString());
        env.put("SCALER_LOG_FORMAT", "text");
        env.putAll(setup.env());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    static Path work() {
        return Path.of(System.getProperty("cluster.work", "cluster-tests/target/cluster-work")).toAbsolutePath();
    }

    String name() {
        return name;
    }

    /** Waits for a line after line {@code from}; returns its index. Ends early, failing, when the agent exits. */
    int await(int from, Predicate<String> line, Duration timeout) {
        int[] found = {-1};
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (int i = from; i < lines.size(); i++) {
                    if (line.test(lines.get(i))) {
                        found[0] = i;
                        return true;
                    }
                }
                return !process.isAlive();
            });
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        if (found[0] >= 0) {
            return found[0];
        }
        throw new AssertionError("agent " + name + ": no such line within " + timeout.toSeconds() + " s"
                + (process.isAlive() ? "" : " (it exited " + process.exitValue() + ")") + "; it printed:\n" + output());
    }

    int await(Predicate<String> line, Duration timeout) {
        return await(0, line, timeout);
    }

    int lineCount() {
        return lines.size();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    List<String> linesFrom(int from) {
        List<String> all = lines();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    String output() {
        return String.join("\n", lines);
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, as the kubelet stops a container; waits for the exit and returns its code. Through the ProcessHandle:
     * Process.destroy() also closes the pipes at once, and what the agent logs while it stops would be lost.
     */
    int stop() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("agent " + name + " did not stop within 60 s of SIGTERM:\n" + output());
            }
            drain.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    /** SIGKILL: a crashed agent or a lost node; nothing runs after it, no Lease is released. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
