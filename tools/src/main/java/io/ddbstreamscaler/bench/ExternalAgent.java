package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.camel.ScalerAgent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The agent as it ships: {@code java <the image's flags> -jar ddbstream-scaler.jar run …} in a process of its own,
 * against simulators of this process. Its output goes to a log file; the first decision line is timestamped as it
 * arrives.
 */
public final class ExternalAgent implements AutoCloseable {

    /**
     * How to start it.
     *
     * @param java             the java command
     * @param jar              target/ddbstream-scaler.jar (its lib/ beside it)
     * @param javaToolOptions  JAVA_TOOL_OPTIONS, as the image sets it
     * @param extraJvmFlags    added after the image's ENTRYPOINT flags (e.g. -XX:NativeMemoryTracking=summary)
     * @param managementPort   where /observe/metrics answers
     * @param podName          with leader election: the pod the agent is (POD_NAME); null runs it with election off
     * @param podNamespace     with leader election: its namespace (POD_NAMESPACE), where the Leases are
     * @param image            a Docker image to run instead of {@code java -jar} (its own JVM flags, the host's
     *                         network so it reaches the simulators); null for {@code java -jar}
     */
    public record Launch(String java, Path jar, String javaToolOptions, List<String> extraJvmFlags, Path triggers,
                         Path routes, Path kubeconfig, int managementPort, Path workDir, String podName,
                         String podNamespace, String image) {

        /** Leader election off. */
        public Launch(String java, Path jar, String javaToolOptions, List<String> extraJvmFlags, Path triggers,
                      Path routes, Path kubeconfig, int managementPort, Path workDir) {
            this(java, jar, javaToolOptions, extraJvmFlags, triggers, routes, kubeconfig, managementPort, workDir, null, null, null);
        }

        /** The same agent as pod {@code name} of {@code namespace}, leader election on, with its own work folder. */
        public Launch asPod(String name, String namespace, int port, Path dir) {
            return new Launch(java, jar, javaToolOptions, extraJvmFlags, triggers, routes, kubeconfig, port, dir, name,
                    namespace, image);
        }

        /** The same agent from a Docker image, with its own port and work folder. */
        public Launch inImage(String dockerImage, int port, Path dir) {
            return new Launch(java, jar, javaToolOptions, extraJvmFlags, triggers, routes, kubeconfig, port, dir, podName,
                    podNamespace, dockerImage);
        }

        String containerName() {
            return "ddbstream-scaler-bench-" + managementPort;
        }

        List<String> command() {
            List<String> args = List.of("run", "-f", triggers.toString(), "--routes", routes.toString(),
                    "--kubeconfig", kubeconfig.toString(), "--management-port", Integer.toString(managementPort),
                    "--leader-election", podName == null ? "false" : "true");
            List<String> cmd = new ArrayList<>();
            if (image != null) {
                // As the pod runs it (read-only root, /tmp only), but on the host's network; the files are mounted
                // at the same paths. The image's own JAVA_TOOL_OPTIONS and ENTRYPOINT are what is measured.
                cmd.addAll(List.of("docker", "run", "--rm", "--name", containerName(), "--network", "host", "--read-only",
                        "--tmpfs", "/tmp:rw,size=16m", "-v", triggers + ":" + triggers + ":ro",
                        "-v", routes + ":" + routes + ":ro", "-v", kubeconfig + ":" + kubeconfig + ":ro"));
                for (Map.Entry<String, String> e : agentEnvironment().entrySet()) {
                    cmd.addAll(List.of("-e", e.getKey() + "=" + e.getValue()));
                }
                cmd.add(image);
                cmd.addAll(args);
                return cmd;
            }
            cmd.add(java);
            cmd.addAll(ShippedJvm.ENTRYPOINT_FLAGS);
            cmd.addAll(extraJvmFlags);
            cmd.addAll(List.of("-jar", jar.toString()));
            cmd.addAll(args);
            return cmd;
        }

        /** What the agent's environment must hold besides the image's (the container gets only these). */
        private Map<String, String> agentEnvironment() {
            Map<String, String> env = new java.util.TreeMap<>();
            env.put("SCALER_LOG_FORMAT", "text");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_CONFIG_FILE", "/tmp/no-aws-config");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/tmp/no-aws-credentials");
            if (podName != null) {
                env.put("POD_NAME", podName);
                env.put("POD_NAMESPACE", podNamespace);
            }
            return env;
        }

        /** The environment: the image's, and nothing of the developer's AWS or Kubernetes configuration. */
        Map<String, String> environment(Map<String, String> inherited) {
            Map<String, String> env = new java.util.TreeMap<>(inherited);
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_") || k.equals("KUBECONFIG")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
            env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
            env.put("SCALER_LOG_FORMAT", "text");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_CONFIG_FILE", workDir.resolve("no-aws-config").toString());
            env.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-aws-credentials").toString());
            env.remove("POD_NAME");
            env.remove("POD_NAMESPACE");
            if (podName != null) {
                env.put("POD_NAME", podName);
                env.put("POD_NAMESPACE", podNamespace);
            }
            return env;
        }
    }

    /** The decision logger's lines: "HH:mm:ss.SSS INFO  decision - …" (logback.xml, %logger{0}). */
    static final Pattern DECISION_LINE = Pattern.compile("\\sdecision - ");
    /** ScalerAgent's "agent started: N ScaledObject(s)…", logged once every route is made. */
    static final Pattern STARTED_LINE = Pattern.compile("\\sagent - agent started: ");

    private final Process process;
    private final Instant startedAt;
    private final Path logFile;
    private final int managementPort;
    private final Deque<String> tail = new ArrayDeque<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Instant firstDecisionLine;
    private volatile Instant startedLine;

    private final String image;
    private final String containerName;
    private volatile long containerPid;

    private ExternalAgent(Launch launch) throws IOException {
        this.image = launch.image();
        this.containerName = launch.containerName();
        this.logFile = launch.workDir().resolve("agent.log");
        this.managementPort = launch.managementPort();
        ProcessBuilder pb = new ProcessBuilder(launch.command()).redirectErrorStream(true)
                .directory(launch.workDir().toFile());
        pb.environment().clear();
        pb.environment().putAll(launch.environment(System.getenv()));
        this.startedAt = Instant.now();
        this.process = pb.start();
        Thread drain = new Thread(this::drain, "agent-output");
        drain.setDaemon(true);
        drain.start();
    }

    public static ExternalAgent start(Launch launch) throws IOException {
        return new ExternalAgent(launch);
    }

    /** A port nobody listens on now (the agent binds it a moment later). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (firstDecisionLine == null && DECISION_LINE.matcher(line).find()) {
                    firstDecisionLine = Instant.now();
                }
                if (startedLine == null && STARTED_LINE.matcher(line).find()) {
                    startedLine = Instant.now();
                }
                log.println(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The process went away: what it wrote is in the log file.
        }
    }

    /** The agent's JVM: the process, or with an image the container's main process as the host sees it. */
    public long pid() {
        if (image == null) {
            return process.pid();
        }
        if (containerPid <= 0) {
            containerPid = Docker.containerPid(containerName);
        }
        return containerPid > 0 ? containerPid : process.pid();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Path logFile() {
        return logFile;
    }

    public Optional<Instant> firstDecisionLine() {
        return Optional.ofNullable(firstDecisionLine);
    }

    public Optional<Instant> startedLine() {
        return Optional.ofNullable(startedLine);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ProcStatus status() throws IOException {
        return ProcStatus.read(pid());
    }

    /** The agent's Prometheus metrics; empty while the management server is not up. */
    public Optional<PrometheusText> metrics() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(PrometheusText.parse(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The last lines the agent wrote, for a report when it died. */
    public List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** SIGTERM (the agent's shutdown hook stops Camel), then SIGKILL if it has not gone within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (image != null) {
            Docker.remove(containerName);
        }
    }
}
