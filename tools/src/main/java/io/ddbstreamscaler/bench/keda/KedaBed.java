package io.ddbstreamscaler.bench.keda;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything the side-by-side runs share: the local control plane with KEDA (scripts/cluster), an AWS simulator whose
 * STS both KEDA and the agent assume roles through, the {@code keda-external} overlay applied as it ships in
 * {@code keda-test} (its ServiceAccount and Role are the agent's identity; its Deployment's Pod is a kwok Pod with no
 * container), a kubeconfig of that ServiceAccount for the agent processes run on the host, an admin client, and the
 * recorder of the twins' replica counts.
 *
 * <p>Why the agent runs on the host: kwok runs no containers, so the overlay's Pod never runs the agent. The agent
 * process runs beside the control plane instead, with the overlay's ServiceAccount token, so the API server sees the
 * same identity and Role it would see from the Pod; KEDA's operator (also on the host) dials it on 127.0.0.1, where
 * in a cluster it would dial the overlay's Service.
 */
public final class KedaBed implements AutoCloseable {

    /** KEDA's operator's own AWS keys (its environment): the role example assumes its role with them. */
    public static final String KEDA_OPERATOR_KEY = "AKIAKEDAOPERATOR0001";
    /** The agent's own AWS keys (its environment): its role example and identityOwner: operator use them. */
    public static final String AGENT_AMBIENT_KEY = "AKIAAGENTAMBIENT0001";
    static final String AMBIENT_SECRET = "ambientSecretKeyOfTheTestBed00000000000";

    private final LocalCluster cluster;
    private final AwsSimulator sts;
    private final KubernetesClient admin;
    private final ReplicaRecorder recorder;
    private final Path saKubeconfig;

    private KedaBed(LocalCluster cluster, AwsSimulator sts, KubernetesClient admin, ReplicaRecorder recorder,
                    Path saKubeconfig) {
        this.cluster = cluster;
        this.sts = sts;
        this.admin = admin;
        this.recorder = recorder;
        this.saKubeconfig = saKubeconfig;
    }

    /** Starts a new cluster and KEDA in the state directory (whatever was there goes), applies the overlay. */
    public static KedaBed start(LocalCluster cluster, PrintStream log) throws IOException {
        cluster.purge();
        AwsSimulator sts = AwsSimulator.start(Clock.systemUTC(), TwinManifests.REGION, 0);
        try {
            long t0 = System.nanoTime();
            cluster.start(Map.of(
                    // KEDA's awsEndpoint covers DynamoDB and DynamoDB Streams only; its STS client (the role example)
                    // reads the SDK's service endpoint variable.
                    "AWS_ENDPOINT_URL_STS", sts.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", KEDA_OPERATOR_KEY,
                    "AWS_SECRET_ACCESS_KEY", AMBIENT_SECRET,
                    "AWS_EC2_METADATA_DISABLED", "true"));
            log.printf("cluster and KEDA up in %.1f s (state %s)%n", (System.nanoTime() - t0) / 1e9, cluster.state());
            cluster.apply(TwinManifests.namespace(TwinManifests.AGENT_NAMESPACE));
            cluster.kubectl("apply", "-k", cluster.repo().resolve("k8s/overlays/keda-external").toString());
            Path sa = cluster.serviceAccountKubeconfig(TwinManifests.AGENT_NAMESPACE, "ddbstream-scaler",
                    cluster.state().resolve("ddbstream-scaler.kubeconfig"));
            KubernetesClient admin = adminClient(cluster);
            return new KedaBed(cluster, sts, admin, new ReplicaRecorder(admin), sa);
        } catch (IOException | RuntimeException e) {
            sts.close();
            try {
                // Whatever did start stops again: a failed start leaves no process behind.
                cluster.close();
            } catch (IOException stop) {
                e.addSuppressed(stop);
            }
            throw e;
        }
    }

    /**
     * fabric8 as the admin, with the state directory's static bearer token: fabric8 7.5 cannot read the EC private key
     * of the admin kubeconfig's client certificate ("Invalid DER: object is not integer"), kubectl can.
     */
    static KubernetesClient adminClient(LocalCluster cluster) throws IOException {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:" + cluster.ports().apiserver())
                .withCaCertFile(cluster.state().resolve("pki/ca.crt").toString())
                .withOauthToken(Files.readString(cluster.state().resolve("pki/admin.token")).strip())
                .withConnectionTimeout(5_000)
                .withRequestTimeout(30_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    public LocalCluster cluster() {
        return cluster;
    }

    /** The simulator whose STS KEDA's operator and the agents call (AWS_ENDPOINT_URL_STS). */
    public AwsSimulator sts() {
        return sts;
    }

    public KubernetesClient admin() {
        return admin;
    }

    public ReplicaRecorder recorder() {
        return recorder;
    }

    /** The overlay's ServiceAccount, keda-test/ddbstream-scaler: what every agent process runs as. */
    public Path serviceAccountKubeconfig() {
        return saKubeconfig;
    }

    /** The agent's environment on this bed: its own keys, and the STS the role example's AssumeRole goes to. */
    public Map<String, String> agentEnvironment() {
        return Map.of("AWS_ENDPOINT_URL_STS", sts.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", AGENT_AMBIENT_KEY,
                "AWS_SECRET_ACCESS_KEY", AMBIENT_SECRET);
    }

    /** Stops the cluster and KEDA; the state directory stays (logs, audit log) for a look afterwards. */
    @Override
    public void close() throws IOException {
        try {
            recorder.close();
            admin.close();
        } finally {
            sts.close();
            cluster.close();
        }
    }
}
