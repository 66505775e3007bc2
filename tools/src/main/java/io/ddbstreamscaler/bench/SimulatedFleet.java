package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.KubeApiSimulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Both simulators, holding a fleet: one table and one Deployment per ScaledObject of {@link FleetYaml}, the trigger
 * file and a kubeconfig in {@code workDir}. The agent under test, in this JVM or another, reads only those files and
 * the two endpoints. On a {@link LocalCluster} the Deployments are on its real API server instead (paused, so that
 * they make no Pod) and the kubeconfig is the shipped ServiceAccount's; there is no Kubernetes simulator then.
 */
public final class SimulatedFleet implements AutoCloseable {

    public final AwsSimulator aws = AwsSimulator.start();
    /** The Kubernetes simulator; null on a local cluster. */
    public final KubeApiSimulator kube;
    public final FleetYaml yaml;
    public final Path triggers;
    public final Path kubeconfig;

    /**
     * @param shardsPerTable open shards of every table at the start
     * @param replicas       spec.replicas of every Deployment at the start
     */
    public SimulatedFleet(Path workDir, int count, int pollingInterval, int shardCount, boolean fastScaleUp,
                          int shardsPerTable, int replicas) throws IOException {
        this(workDir, count, pollingInterval, shardCount, fastScaleUp, shardsPerTable, replicas, 1, 1);
    }

    /** @param regions, accounts how many AWS regions and accounts the ScaledObjects are spread over (round robin) */
    public SimulatedFleet(Path workDir, int count, int pollingInterval, int shardCount, boolean fastScaleUp,
                          int shardsPerTable, int replicas, int regions, int accounts) throws IOException {
        this(workDir, count, pollingInterval, shardCount, fastScaleUp, shardsPerTable, replicas, regions, accounts, null);
    }

    /** @param cluster the real API server holding the Deployments (paused, 1 replica); null for the simulator */
    public SimulatedFleet(Path workDir, int count, int pollingInterval, int shardCount, boolean fastScaleUp,
                          int shardsPerTable, int replicas, int regions, int accounts, LocalCluster cluster) throws IOException {
        this.kube = cluster == null ? KubeApiSimulator.start() : null;
        this.yaml = new FleetYaml(count, pollingInterval, shardCount, fastScaleUp, aws.endpoint(), regions, accounts);
        try {
            for (int i = 1; i <= count; i++) {
                aws.state().createTable(FleetYaml.table(i), shardsPerTable);
                if (kube != null) {
                    kube.createDeployment(FleetYaml.NAMESPACE, FleetYaml.deployment(i), replicas,
                            Map.of("app", FleetYaml.deployment(i)));
                }
            }
            this.triggers = Files.createDirectories(workDir.resolve("triggers"));
            Files.writeString(triggers.resolve("fleet.yaml"), yaml.render(), StandardCharsets.UTF_8);
            if (kube != null) {
                this.kubeconfig = kube.writeKubeconfig(workDir.resolve("kubeconfig"), FleetYaml.NAMESPACE);
                // The fixtures' own requests are not the agent's.
                kube.dispatcher().clearLog();
            } else {
                List<String> deployments = IntStream.rangeClosed(1, count).mapToObj(FleetYaml::deployment).toList();
                cluster.ensureNamespace(FleetYaml.NAMESPACE);
                cluster.createPausedDeployments(FleetYaml.NAMESPACE, deployments);
                this.kubeconfig = cluster.agentKubeconfig(FleetYaml.NAMESPACE, "deployments/scale", deployments,
                        workDir.resolve("kubeconfig"));
            }
            aws.clearRequests();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("cannot create the fleet on the local cluster: " + e.getMessage(), e);
        }
    }

    public List<String> tables() {
        return IntStream.rangeClosed(1, yaml.count()).mapToObj(FleetYaml::table).toList();
    }

    /** The path of a Deployment's scale subresource, as a regex for the request log. */
    public static String scalePath(String deployment) {
        return "/apis/apps/v1/namespaces/" + FleetYaml.NAMESPACE + "/deployments/" + deployment + "/scale";
    }

    @Override
    public void close() {
        if (kube != null) {
            kube.close();
        }
        aws.close();
    }
}
