package io.ddbstreamscaler.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One namespace of the suite, set up as a user would: {@code kubectl create namespace}, {@code kubectl apply -k} of a
 * shipped overlay (into this namespace instead of keda-test: a kustomization of its own that names the overlay as its
 * resource, plus the Role rules docs/deploy.md tells users to add for other targets), the Secret, the workloads, and
 * a kubeconfig for the namespace's {@code ddbstream-scaler} ServiceAccount. Its files go to {@code cluster.work}/NAME.
 */
final class TestNamespace {

    static final Path OVERLAYS = Path.of("k8s", "overlays").toAbsolutePath();

    private final LocalCluster cluster;
    private final String name;

    TestNamespace(LocalCluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
    }

    /** Creates the namespace (a leftover of an earlier test of the same run is deleted first). */
    static TestNamespace create(LocalCluster cluster, String name) {
        cluster.kubectl("delete", "namespace", name, "--ignore-not-found", "--wait=true", "--timeout=120s");
        cluster.kubectl("create", "namespace", name);
        return new TestNamespace(cluster, name);
    }

    String name() {
        return name;
    }

    LocalCluster cluster() {
        return cluster;
    }

    Path work() {
        return AgentProcess.work().resolve(name);
    }

    /**
     * {@code kubectl apply -k} of a kustomization in {@link #work()} that takes the shipped overlay into this namespace
     * and appends {@code extraRules} (YAML flow mappings, one Role rule each) to the shipped Role with a JSON patch.
     */
    void applyOverlay(String overlay, List<String> extraRules) {
        Path dir = work().resolve("kustomize-" + overlay);
        // kustomize takes a directory resource from anywhere, but only by a relative path.
        StringBuilder k = new StringBuilder("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: %s
                resources:
                  - %s
                """.formatted(name, dir.relativize(OVERLAYS.resolve(overlay))));
        if (!extraRules.isEmpty()) {
            k.append("patches:\n  - target: {kind: Role, name: ddbstream-scaler}\n    patch: |-\n");
            for (String rule : extraRules) {
                k.append("      - op: add\n        path: /rules/-\n        value: ").append(rule).append('\n');
            }
        }
        LocalCluster.write(dir.resolve("kustomization.yaml"), k.toString());
        cluster.kubectl("apply", "-k", dir.toString());
        AuditLog.agentServiceAccount(name, cluster.kubectl("-n", name, "get", "rolebinding", "ddbstream-scaler", "-o",
                "jsonpath={.subjects[0].name}").trim());
    }

    /** {@code kubectl apply -f -} in this namespace. */
    void apply(String yaml) {
        cluster.kubectlStdin(yaml, "-n", name, "apply", "-f", "-");
    }

    /** The Secret {@code test-secrets} the TriggerAuthentication reads: created, or replaced (a key rotation). */
    void awsKeys(String accessKeyId, String secretAccessKey) {
        apply("""
                apiVersion: v1
                kind: Secret
                metadata: {name: test-secrets}
                type: Opaque
                stringData: {AWS_ACCESS_KEY_ID: %s, AWS_SECRET_ACCESS_KEY: %s}
                """.formatted(accessKeyId, secretAccessKey));
    }

    /** A Deployment of {@code replicas} Pods with no agent in them (the workload a standalone agent scales). */
    void deployment(String deployment, int replicas) {
        apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                        - {name: consumer, image: registry.example/consumer:1}
                """.formatted(deployment, replicas));
    }

    /** The ServiceAccount's kubeconfig (sa-kubeconfig.sh): the identity the agent runs with. */
    Path agentKubeconfig() {
        return cluster.serviceAccountKubeconfig(name, AuditLog.agentServiceAccount(name), work().resolve("agent.kubeconfig"));
    }

    /** A kubeconfig with a token bound to {@code pod}, as the kubelet gives the agent in that Pod. */
    Path podKubeconfig(String pod) {
        return cluster.podKubeconfig(name, AuditLog.agentServiceAccount(name), pod, work().resolve(pod + ".kubeconfig"));
    }

    /** Writes one trigger file into this namespace's trigger folder; returns the folder (the agent's -f). */
    Path triggers(String file, String yaml) {
        Path folder = work().resolve("triggers");
        LocalCluster.write(folder.resolve(file), yaml);
        return folder;
    }

    /** {@code .spec.replicas} and {@code .status.readyReplicas} of a workload, as {@code kubectl get} shows them. */
    int[] replicas(String kindAndName) {
        String out = cluster.kubectl("-n", name, "get", kindAndName, "-o",
                "jsonpath={.spec.replicas} {.status.readyReplicas}").trim();
        String[] parts = out.split(" ");
        return new int[]{Integer.parseInt(parts[0]), parts.length > 1 && !parts[1].isEmpty() ? Integer.parseInt(parts[1]) : 0};
    }

    /** The names of the Pods of a label selector that are Running, as {@code kubectl get pods} lists them. */
    List<String> runningPods(String selector) {
        // A Pod being deleted stays Running until kwok finishes it: not counted (a rollout's old Pod is no agent).
        String out = cluster.kubectl("-n", name, "get", "pods", "-l", selector, "--field-selector=status.phase=Running",
                "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{'\\n'}{end}");
        return new ArrayList<>(out.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.contains(" ")).toList());
    }
}
