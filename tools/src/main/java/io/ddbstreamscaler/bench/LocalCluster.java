package io.ddbstreamscaler.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A control plane of {@code scripts/cluster/start.sh}, already running, found by its state directory: the admin
 * kubeconfig (for the bench's fixtures only), the audit log, the API server's pid. The agent never gets the admin
 * kubeconfig: it gets the shipped ServiceAccount's token from {@code scripts/cluster/sa-kubeconfig.sh}, bound to the
 * shipped Role (k8s/base/role.yaml) with its scale rule naming the fleet's targets.
 */
public final class LocalCluster implements AutoCloseable {

    /** The shipped ServiceAccount and Role (k8s/base). */
    public static final String SERVICE_ACCOUNT = "ddbstream-scaler";
    static final Path SHIPPED_BASE = Path.of("k8s", "base");
    static final Path SA_KUBECONFIG_SCRIPT = Path.of("scripts", "cluster", "sa-kubeconfig.sh");
    /** Parallel creates of the fixtures: the API server serves them in parallel, one at a time would take minutes. */
    static final int CREATE_THREADS = 8;

    private final Path dir;
    private final KubernetesClient admin;

    private LocalCluster(Path dir) throws IOException {
        this.dir = dir;
        this.admin = adminClient(dir);
    }

    /**
     * Admin rights through the static token {@code pki/admin.token} (docs/local-cluster.md): the admin kubeconfig's
     * client key is EC P-256, which fabric8 reads only with Bouncy Castle on the class path. Server and CA as in the
     * kubeconfig.
     */
    private static KubernetesClient adminClient(Path dir) throws IOException {
        io.fabric8.kubernetes.client.Config kubeconfig = io.fabric8.kubernetes.client.Config.fromKubeconfig(null,
                Files.readString(dir.resolve("kubeconfig")), dir.resolve("kubeconfig").toString());
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl(kubeconfig.getMasterUrl())
                .withCaCertFile(dir.resolve("pki/ca.crt").toString())
                .withOauthToken(Files.readString(dir.resolve("pki/admin.token")).trim())
                .withRequestTimeout(60_000)
                .build();
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
    }

    /** The cluster of {@code dir}; a clear error when it holds no running cluster or the repository's files are not here. */
    public static LocalCluster open(Path dir) throws IOException {
        for (Path p : List.of(dir.resolve("kubeconfig"), dir.resolve("pki/admin.token"), dir.resolve("pki/ca.crt"),
                dir.resolve("audit/audit.log"), dir.resolve("run/apiserver.pid"))) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--local-cluster " + dir + ": no " + p.getFileName() + " (" + p
                        + "); start the cluster with: bash scripts/cluster/start.sh --dir " + dir);
            }
        }
        for (Path p : List.of(SHIPPED_BASE.resolve("role.yaml"), SA_KUBECONFIG_SCRIPT)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--local-cluster: no " + p + ": run the bench from the repository's root");
            }
        }
        return new LocalCluster(dir);
    }

    public KubernetesClient admin() {
        return admin;
    }

    public Path auditLog() {
        return dir.resolve("audit/audit.log");
    }

    /** The running API server's pid (run/apiserver.pid, written by start.sh). */
    public long apiServerPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("run/apiserver.pid")).trim());
    }

    public static String agentUser(String namespace) {
        return "system:serviceaccount:" + namespace + ":" + SERVICE_ACCOUNT;
    }

    public void ensureNamespace(String namespace) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
    }

    /**
     * The shipped ServiceAccount, Role and RoleBinding in {@code namespace}, the Role's scale rule (its first) on
     * {@code scaleResource} (deployments/scale or statefulsets/scale, docs/deploy.md) naming {@code targets}; then a
     * kubeconfig with the ServiceAccount's token, written by sa-kubeconfig.sh to {@code out}.
     */
    public Path agentKubeconfig(String namespace, String scaleResource, List<String> targets, Path out) throws Exception {
        ensureNamespace(namespace);
        ServiceAccount sa = load("serviceaccount.yaml", ServiceAccount.class);
        Role role = load("role.yaml", Role.class);
        PolicyRule scale = role.getRules().get(0);
        if (!scale.getResources().contains("deployments/scale")) {
            throw new IllegalStateException(SHIPPED_BASE.resolve("role.yaml") + ": its first rule is no longer the scale rule");
        }
        scale.setResources(List.of(scaleResource));
        scale.setResourceNames(new ArrayList<>(targets));
        RoleBinding binding = load("rolebinding.yaml", RoleBinding.class);
        for (HasMetadata o : List.<HasMetadata>of(sa, role, binding)) {
            o.getMetadata().setNamespace(namespace);
            admin.resource(o).inNamespace(namespace).forceConflicts().serverSideApply();
        }
        Process p = new ProcessBuilder("bash", SA_KUBECONFIG_SCRIPT.toString(), "--dir", dir.toString(), namespace,
                SERVICE_ACCOUNT, out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("sa-kubeconfig.sh failed: " + output.trim());
        }
        return out;
    }

    private <T> T load(String file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(SHIPPED_BASE.resolve(file))) {
            return admin.getKubernetesSerialization().unmarshal(in, type);
        }
    }

    /**
     * Deployments of 1 replica, <em>paused</em>: the Deployment controller makes no ReplicaSet for a paused Deployment
     * it has never rolled out, so 10,000 of them make no Pod, while their /scale answers as any Deployment's. One
     * already there is left as it is (a larger fleet reuses a smaller one's).
     */
    public int createPausedDeployments(String namespace, List<String> names) throws Exception {
        return createAll(names, name -> admin.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(1).withPaused(true)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("consumer").withImage("consumer:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create());
    }

    /** StatefulSets of {@code replicas} (kwok runs their Pods); one already there is scaled back to {@code replicas}. */
    public void createStatefulSets(String namespace, List<String> names, int replicas) throws Exception {
        createAll(names, name -> admin.apps().statefulSets().inNamespace(namespace).resource(new StatefulSetBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("consumer").withImage("consumer:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create());
        for (String name : names) {
            admin.apps().statefulSets().inNamespace(namespace).withName(name).scale(replicas);
        }
    }

    /** A Pod of the agent, made Running and Ready by kwok; waits until it is (leader election counts only those). */
    public void createReadyPod(String namespace, String name, Map<String, String> labels) {
        admin.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage("ddbstream-scaler").endContainer().endSpec()
                .build()).create();
        admin.pods().inNamespace(namespace).withName(name).waitUntilCondition(p -> p != null && p.getStatus() != null
                && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                60, TimeUnit.SECONDS);
    }

    /** Deletes the Pods of {@code labels} and every Lease of {@code namespace} at once, and waits until they are gone. */
    public void clearAgents(String namespace, Map<String, String> labels) throws InterruptedException {
        admin.pods().inNamespace(namespace).withLabels(labels).withGracePeriod(0).delete();
        admin.leases().inNamespace(namespace).delete();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !(admin.pods().inNamespace(namespace).withLabels(labels).list().getItems().isEmpty()
                && admin.leases().inNamespace(namespace).list().getItems().isEmpty())) {
            Waits.sleep(java.time.Duration.ofMillis(200));
        }
    }

    private interface Create {
        void create(String name);
    }

    /** Creates in parallel; an object already there counts as created. Returns how many were new. */
    private int createAll(List<String> names, Create create) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (String name : names) {
                done.add(pool.submit(() -> {
                    try {
                        create.create(name);
                        return true;
                    } catch (KubernetesClientException e) {
                        if (e.getCode() == 409) {
                            return false;
                        }
                        throw e;
                    }
                }));
            }
            int created = 0;
            for (Future<Boolean> f : done) {
                created += f.get() ? 1 : 0;
            }
            return created;
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
