package io.ddbstreamscaler.bench.keda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local control plane and KEDA of {@code scripts/cluster/} (docs/local-cluster.md), driven from Java: start.sh,
 * keda-start.sh, stop.sh and sa-kubeconfig.sh with a state directory and ports of its own, so that it never meets a
 * cluster another run keeps on the scripts' default ports. Everything it starts listens on 127.0.0.1.
 */
public final class LocalCluster implements AutoCloseable {

    /**
     * The ports of one cluster, each a {@code DDBSS_*_PORT} variable of scripts/cluster/lib.sh (where each is
     * described). {@link #KEDA_TESTS} keeps clear of the scripts' defaults (1xxxx, 2xxxx), of cluster-tests' cluster
     * (2xxxx) and of Linux's ephemeral ports (32768-60999), where any outgoing connection may hold one.
     */
    public record Ports(int apiserver, int kine, int controllerManager, int scheduler, int kwok, int kedaGrpc,
                        int kedaAdapter, int kedaOperatorMetrics, int kedaOperatorProbe, int kedaAdapterMetrics) {

        public static final Ports KEDA_TESTS = new Ports(31443, 31379, 31257, 31259, 31247, 31666, 31743, 31080,
                31081, 31082);

        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DDBSS_APISERVER_PORT", Integer.toString(apiserver));
            env.put("DDBSS_KINE_PORT", Integer.toString(kine));
            env.put("DDBSS_KCM_PORT", Integer.toString(controllerManager));
            env.put("DDBSS_SCHEDULER_PORT", Integer.toString(scheduler));
            env.put("DDBSS_KWOK_PORT", Integer.toString(kwok));
            env.put("DDBSS_KEDA_GRPC_PORT", Integer.toString(kedaGrpc));
            env.put("DDBSS_KEDA_ADAPTER_PORT", Integer.toString(kedaAdapter));
            env.put("DDBSS_KEDA_OPERATOR_METRICS_PORT", Integer.toString(kedaOperatorMetrics));
            env.put("DDBSS_KEDA_OPERATOR_PROBE_PORT", Integer.toString(kedaOperatorProbe));
            env.put("DDBSS_KEDA_ADAPTER_METRICS_PORT", Integer.toString(kedaAdapterMetrics));
            return env;
        }
    }

    /** The binaries start.sh and keda-start.sh need, as build.sh --keda caches them. */
    private static final List<String> CORE_BINARIES = List.of("kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kine", "kwok");
    private static final List<String> KEDA_BINARIES = List.of("keda", "keda-adapter");

    private final Path repo;
    private final Path state;
    private final Ports ports;
    private final int nodes;
    private final Shell shell;

    /**
     * @param repo  the repository root (scripts/cluster/ and k8s/ are read from it)
     * @param state the state directory: certificates, kubeconfigs, the store, the logs, the audit log
     * @param nodes fake Nodes (110 Pods each)
     */
    public LocalCluster(Path repo, Path state, Ports ports, int nodes) {
        this.repo = repo.toAbsolutePath();
        this.state = state.toAbsolutePath();
        this.ports = ports;
        this.nodes = nodes;
        this.shell = new Shell(this.repo, environment(Map.of()));
    }

    /**
     * What is missing to run a cluster with KEDA here, as one line naming the command that builds it; empty when
     * everything is there.
     */
    public static Optional<String> missing(Path repo) {
        Map<String, String> dirs;
        try {
            dirs = binaryDirs(repo);
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot read scripts/cluster/versions.sh: " + e.getMessage());
        }
        List<String> absent = new ArrayList<>();
        CORE_BINARIES.stream().map(b -> Path.of(dirs.get("K8S_BIN"), b)).filter(p -> !Files.isExecutable(p))
                .forEach(p -> absent.add(p.toString()));
        KEDA_BINARIES.stream().map(b -> Path.of(dirs.get("KEDA_BIN"), b)).filter(p -> !Files.isExecutable(p))
                .forEach(p -> absent.add(p.toString()));
        if (!absent.isEmpty()) {
            return Optional.of("the local control plane and KEDA are not built (missing " + String.join(", ", absent)
                    + "): build them with `bash scripts/cluster/build.sh --keda` (about 30 min cold)");
        }
        if (!Shell.onPath("kubectl")) {
            return Optional.of("kubectl is not on the PATH: install it (the cluster scripts and the suite call it)");
        }
        return Optional.empty();
    }

    /** K8S_BIN and KEDA_BIN as versions.sh computes them (the cache dir, keyed by version). */
    private static Map<String, String> binaryDirs(Path repo) throws IOException {
        String out = new Shell(repo, Map.of()).run(Duration.ofSeconds(10), "bash", "-c",
                ". scripts/cluster/versions.sh && echo \"$K8S_BIN\" && echo \"$KEDA_BIN\"");
        String[] lines = out.strip().split("\n");
        return Map.of("K8S_BIN", lines[0].strip(), "KEDA_BIN", lines[1].strip());
    }

    /**
     * Starts the control plane, then KEDA with {@code kedaEnvironment} added to its processes' environment (e.g.
     * {@code AWS_ENDPOINT_URL_STS} and the operator's own AWS keys). A KEDA left running in this state directory is
     * restarted so that it gets that environment.
     */
    public void start(Map<String, String> kedaEnvironment) throws IOException {
        Files.createDirectories(state);
        startScript(shell, "scripts/cluster/start.sh", "--dir", state.toString(), "--nodes", Integer.toString(nodes));
        shell.run(Duration.ofMinutes(1), "bash", "scripts/cluster/stop.sh", "--dir", state.toString(), "--only", "keda");
        startScript(new Shell(repo, environment(kedaEnvironment)), "scripts/cluster/keda-start.sh", "--dir",
                state.toString());
    }

    /**
     * Runs an idempotent start script, again when a port was taken (by another program of the machine: seen once
     * when these ports were in the ephemeral range, the KEDA operator's then 36080). A second run starts only what is
     * not running.
     */
    private static void startScript(Shell shell, String... script) throws IOException {
        String[] command = new String[script.length + 1];
        command[0] = "bash";
        System.arraycopy(script, 0, command, 1, script.length);
        for (int attempt = 1; ; attempt++) {
            try {
                shell.run(Duration.ofMinutes(4), command);
                return;
            } catch (IOException e) {
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stops whatever runs in the state directory and removes it (stop.sh --purge), so the next start is a new cluster:
     * nothing a previous run left (namespaces still terminating, objects) meets this one.
     */
    public void purge() throws IOException {
        if (Files.isDirectory(state)) {
            shell.run(Duration.ofMinutes(2), "bash", "scripts/cluster/stop.sh", "--dir", state.toString(), "--purge");
        }
    }

    /** Stops everything this state directory runs (its store and logs stay for a look afterwards). */
    @Override
    public void close() throws IOException {
        shell.run(Duration.ofMinutes(2), "bash", "scripts/cluster/stop.sh", "--dir", state.toString());
    }

    /**
     * A kubeconfig that acts as {@code namespace/serviceAccount} (sa-kubeconfig.sh: a TokenRequest token), for the
     * agent: never the admin's.
     */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount, Path out) throws IOException {
        shell.run(Duration.ofMinutes(1), "bash", "scripts/cluster/sa-kubeconfig.sh", "--dir", state.toString(),
                "--duration", "24h", namespace, serviceAccount, out.toString());
        return out;
    }

    /** kubectl as the cluster's admin; the output, or an IOException with it when kubectl fails. */
    public String kubectl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", adminKubeconfig().toString()));
        command.addAll(List.of(args));
        return shell.run(Duration.ofMinutes(2), command.toArray(String[]::new));
    }

    /** kubectl apply -f - of a YAML text, as the admin (server-side validation, as a user's apply). */
    public String apply(String yaml) throws IOException {
        return shell.runWithInput(Duration.ofMinutes(2), yaml, "kubectl", "--kubeconfig", adminKubeconfig().toString(),
                "apply", "-f", "-");
    }

    /**
     * kubectl create -f - of new objects, as the admin: one request per object where apply makes two, for the fleet's
     * thousands (each start purges the state, so they are new); as long as {@code timeout} allows on a loaded machine.
     */
    public String create(String yaml, Duration timeout) throws IOException {
        return shell.runWithInput(timeout, yaml, "kubectl", "--kubeconfig", adminKubeconfig().toString(), "create",
                "-f", "-");
    }

    public Path adminKubeconfig() {
        return state.resolve("kubeconfig");
    }

    public Path auditLog() {
        return state.resolve("audit/audit.log");
    }

    public Path state() {
        return state;
    }

    public Path repo() {
        return repo;
    }

    public Ports ports() {
        return ports;
    }

    /** The pid of a running component (keda-operator, keda-adapter, apiserver, …) from its pid file. */
    public long pid(String component) throws IOException {
        Path file = state.resolve("run").resolve(component + ".pid");
        if (!Files.isRegularFile(file)) {
            throw new IOException(component + " is not running in " + state + " (no " + file + ")");
        }
        return Long.parseLong(Files.readString(file).strip());
    }

    /**
     * The scripts' environment: the caller's, without what would point the cluster or KEDA elsewhere (AWS settings,
     * KUBECONFIG, other DDBSS_* choices), plus this cluster's ports and {@code extra}.
     */
    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("DDBSS_") || k.equals("KUBECONFIG"));
        env.putAll(ports.environment());
        env.put("DDBSS_CLUSTER_DIR", state.toString());
        env.putAll(extra);
        return env;
    }
}
