package io.ddbstreamscaler.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The control plane of {@code scripts/cluster} (docs/local-cluster.md), driven through its own scripts: started in the
 * suite's state directory ({@code cluster.dir}, under the module's target/) on the ports failsafe puts in the
 * environment, stopped with {@code stop.sh --purge} at the end. Every kubectl call here is the admin's; the agent never
 * gets this kubeconfig.
 */
final class LocalCluster {

    static final Path SCRIPTS = Path.of("scripts", "cluster");

    private final Path dir;
    private KubernetesClient admin;

    LocalCluster(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    Path adminKubeconfig() {
        return dir.resolve("kubeconfig");
    }

    Path auditLog() {
        return dir.resolve("audit").resolve("audit.log");
    }

    /**
     * The binaries start.sh needs that build.sh has not cached, as versions.sh locates them (empty when all are
     * there), so the versions live in one place.
     */
    static List<String> missingBinaries() {
        Result r = Result.run(List.of("bash", "-c", ". " + SCRIPTS.resolve("versions.sh") + "; "
                + "for b in kine kube-apiserver kube-controller-manager kube-scheduler kwok; do "
                + "[ -x \"$K8S_BIN/$b\" ] || echo \"$K8S_BIN/$b\"; done; "
                + "[ -f \"$KWOK_STAGES/pod-ready.yaml\" ] || echo \"$KWOK_STAGES\""), 30);
        if (r.exit() != 0) {
            throw new IllegalStateException("cannot read " + SCRIPTS.resolve("versions.sh") + ": " + r);
        }
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }

    /** A fresh cluster: what an earlier run left in the state directory is stopped and removed first. */
    void startFresh() {
        script("stop.sh", "--purge");
        script("start.sh");
    }

    /** Keeps the logs and the audit log of the run beside the state directory, then stops and removes it. */
    void stopAndPurge() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        keepLogs();
        try {
            script("stop.sh", "--purge");
        } catch (IllegalStateException e) {
            // stop.sh fails when a process or a port outlives its 20 s; a second run finds them gone.
            System.err.println("cluster-tests: " + e.getMessage() + "\ncluster-tests: stopping again");
            script("stop.sh", "--purge");
        }
    }

    /** Runs one of scripts/cluster/*.sh on this state directory; fails with its output unless it exits 0. */
    String script(String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString(), "--dir", dir.toString()));
        cmd.addAll(List.of(args));
        Result r = Result.run(cmd, 300);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r);
        }
        return r.out();
    }

    /** kubectl as the cluster's admin; fails with its output unless it exits 0. */
    String kubectl(String... args) {
        Result r = kubectlResult(args);
        if (r.exit() != 0) {
            throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + r);
        }
        return r.out();
    }

    Result kubectlResult(String... args) {
        return kubectlAs(adminKubeconfig(), args);
    }

    /** kubectl with another kubeconfig (the agent's, to show what its ServiceAccount may do). */
    static Result kubectlAs(Path kubeconfig, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        return Result.run(cmd, 120);
    }

    /** kubectl reading a manifest from stdin: {@code kubectl apply -f -} and the like. */
    String kubectlStdin(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", adminKubeconfig().toString()));
        cmd.addAll(List.of(args));
        Result r = Result.run(cmd, stdin, 120);
        if (r.exit() != 0) {
            throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + r + "\n--- stdin\n" + stdin);
        }
        return r.out();
    }

    /**
     * The test's own admin client (reads, watches, and the concurrent writer of the fault tests), with the admin's
     * static token (pki/admin.token): fabric8 cannot read the EC key of the admin kubeconfig's client certificate.
     */
    synchronized KubernetesClient admin() {
        if (admin == null) {
            Config kubeconfig = config(adminKubeconfig());
            try {
                Config config = new ConfigBuilder(Config.empty()).withMasterUrl(kubeconfig.getMasterUrl())
                        .withCaCertData(kubeconfig.getCaCertData())
                        .withOauthToken(Files.readString(dir.resolve("pki").resolve("admin.token")).trim())
                        .withRequestTimeout(30_000).withConnectionTimeout(10_000).build();
                admin = new KubernetesClientBuilder().withConfig(config).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return admin;
    }

    static Config config(Path kubeconfig) {
        Config base = Config.fromKubeconfig(kubeconfig.toFile());
        return new ConfigBuilder(base).withRequestTimeout(30_000).withConnectionTimeout(10_000).build();
    }

    /**
     * A kubeconfig for the ServiceAccount {@code namespace/serviceAccount}, written by sa-kubeconfig.sh (a TokenRequest
     * token, not bound to a Pod).
     */
    Path serviceAccountKubeconfig(String namespace, String serviceAccount, Path out) {
        script("sa-kubeconfig.sh", "--duration", "2h", namespace, serviceAccount, out.toString());
        return out;
    }

    /**
     * A kubeconfig for the same ServiceAccount with a token bound to one Pod ({@code kubectl create token
     * --bound-object-kind Pod}), as the kubelet projects it into that Pod: the API server puts the Pod's name in
     * {@code user.extra["authentication.kubernetes.io/pod-name"]} of every audit event, which is how the suite tells
     * three agents of one ServiceAccount apart (fabric8 sends the same User-Agent for all). The token dies with the Pod.
     */
    Path podKubeconfig(String namespace, String serviceAccount, String pod, Path out) {
        String token = kubectl("-n", namespace, "create", "token", serviceAccount, "--duration", "2h",
                "--bound-object-kind", "Pod", "--bound-object-name", pod).trim();
        Config admin = config(adminKubeconfig());
        String ca = admin.getCaCertData();
        String user = "system:serviceaccount:" + namespace + ":" + serviceAccount + "@" + pod;
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: local
                  context: {cluster: local, user: "%s", namespace: %s}
                current-context: local
                """.formatted(admin.getMasterUrl(), ca, '"' + user + '"', token, user, namespace);
        write(out, yaml);
        return out;
    }

    /** The pid of a running component, from the pid file start.sh wrote, checked against its binary's name. */
    long pidOf(String component, String binary) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("run").resolve(component + ".pid")).trim());
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(component + " is not running"));
            String command = handle.info().command().orElse("");
            if (!command.endsWith("/" + binary)) {
                throw new IllegalStateException(component + "'s pid " + pid + " is " + command + ", not " + binary);
            }
            return pid;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as a crash: no drain, no clean shutdown. */
    void kill(String component, String binary) {
        long pid = pidOf(component, binary);
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().orTimeout(20, TimeUnit.SECONDS).join();
    }

    private void keepLogs() {
        Path kept = dir.resolveSibling(dir.getFileName() + "-logs");
        try {
            if (Files.isDirectory(kept)) {
                try (Stream<Path> old = Files.walk(kept)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(kept);
            for (Path source : List.of(auditLog(), dir.resolve("logs"))) {
                if (Files.isRegularFile(source)) {
                    Files.copy(source, kept.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                } else if (Files.isDirectory(source)) {
                    try (Stream<Path> logs = Files.list(source)) {
                        for (Path log : logs.toList()) {
                            Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("cluster-tests: could not keep the cluster's logs in " + kept + ": " + e.getMessage());
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of this module's test resources (manifests/...), as a path kubectl can read. */
    static Path resource(String name) {
        try {
            return Path.of(java.util.Objects.requireNonNull(LocalCluster.class.getResource("/" + name), name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
