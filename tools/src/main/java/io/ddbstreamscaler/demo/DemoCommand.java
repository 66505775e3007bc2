package io.ddbstreamscaler.demo;

import io.ddbstreamscaler.camel.AgentOptions;
import io.ddbstreamscaler.camel.ScalerAgent;
import io.ddbstreamscaler.camel.AgentAssembly;
import io.ddbstreamscaler.camel.RouteFolders;
import io.ddbstreamscaler.observe.ManagementServer;
import io.ddbstreamscaler.tools.AgentJars;
import io.ddbstreamscaler.tools.SimulatedLeases;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.ddbstreamscaler.simulator.aws.SimKclConsumer;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.ddbstreamscaler.stream.kcl.LeaseCount;
import io.ddbstreamscaler.stream.kcl.WorkLeft;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo}: the whole agent with no AWS account and no cluster. The AWS simulator holds the spec's table
 * {@code keda-events}, whose stream splits a shard every few seconds; an embedded Kubernetes API holds the consumer
 * Deployment {@code keda-test/nginx-deployment}; the real routes scale it, and the metrics endpoint serves Prometheus.
 * Beside it, a simulated KCL consumer fleet ({@code keda-test/kcl-consumer}, as many workers as its Deployment has
 * replicas) reads the same stream and keeps its lease table {@code keda-events-consumer}; its ScaledObject reads that
 * table ({@code kclLeaseTable}), so its replicas follow the shards with work left and fall as parents drain, while
 * KEDA's count keeps every closed shard for 24 h.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the agent against the built-in AWS simulator and an embedded Kubernetes API.")
public final class DemoCommand implements Callable<Integer> {

    static final String TABLE = "keda-events";
    static final String NAMESPACE = "keda-test";
    static final String DEPLOYMENT = "nginx-deployment";
    static final String KCL_DEPLOYMENT = "kcl-consumer";
    static final String LEASE_TABLE = "keda-events-consumer";
    /**
     * The simulated fleet: 10 records/s arrive in each open shard, a worker reads 2 shards at 11 records/s each, and
     * it starts 60 s behind, so a parent holds records for a while after it closes.
     */
    static final SimKclConsumer.Settings KCL = new SimKclConsumer.Settings(2, 11, t -> 10,
            SimKclConsumer.ChildLeases.AT_PARENT_END, 60, 1);

    @Option(names = "--seconds", paramLabel = "N", description = "Stop after N seconds (default: run until Ctrl-C).")
    Integer seconds;

    @Option(names = "--split-every", paramLabel = "SECONDS", defaultValue = "8",
            description = "How often the simulator splits one open shard. Default: ${DEFAULT-VALUE}.")
    int splitEverySeconds;

    @Option(names = "--management-port", paramLabel = "PORT", defaultValue = "9876",
            description = "Port of /observe/metrics and /observe/health. Default: ${DEFAULT-VALUE}.")
    int managementPort;

    @Option(names = "--routes", paramLabel = "DIR", description = "The routes folder (default as for run).")
    Path routes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("ddbstream-scaler-demo");
        try (AwsSimulator aws = AwsSimulator.start(Clock.systemUTC(), "ap-northeast-1", 0);
             KubeApiSimulator kube = KubeApiSimulator.start()) {
            aws.state().createTable(TABLE, 1);
            aws.splitEvery(TABLE, Duration.ofSeconds(splitEverySeconds), 16);
            kube.createDeployment(NAMESPACE, DEPLOYMENT, 1, Map.of("app", "nginx"));
            kube.createDeployment(NAMESPACE, KCL_DEPLOYMENT, 1, Map.of("app", KCL_DEPLOYMENT));
            aws.startKclConsumer(TABLE, LEASE_TABLE, () -> replicas(kube, KCL_DEPLOYMENT), KCL, Duration.ofSeconds(1));
            // The SDK's own setting (the system-property form of AWS_ENDPOINT_URL): the trigger YAML stays as in the spec.
            System.setProperty("aws.endpointUrl", aws.endpoint().toString());
            Path triggers = writeTriggers(work);
            Path kubeconfig = kube.writeKubeconfig(work.resolve("kubeconfig"), NAMESPACE);
            Path routeFolder = routes != null ? routes : RouteFolders.locate(null, System::getenv, AgentJars.agentJar());
            if (!Files.isDirectory(routeFolder)) {
                routeFolder = RouteFolders.extractShipped(work.resolve("routes"));
            }
            AgentOptions options = new AgentOptions(List.of(triggers), routeFolder, false, false, false, null, null,
                    managementPort, Duration.ofSeconds(2), Duration.ofSeconds(15));
            out.println("demo: AWS simulator at " + aws.endpoint() + " (table " + TABLE + ", one shard split every "
                    + splitEverySeconds + " s; a KCL consumer fleet with lease table " + LEASE_TABLE
                    + "), Kubernetes API at " + kube.url());
            out.println("demo: trigger config in " + triggers + ", routes from " + routeFolder.toAbsolutePath());
            out.flush();
            try (ScalerAgent agent = AgentAssembly.create(options, kubeconfig, ProbeOptions.defaults(), Clock.systemUTC())) {
                try {
                    agent.start();
                } catch (ManagementServer.PortUnavailable e) {
                    // A second demo or an agent already on 9876: one line, as run says it.
                    spec.commandLine().getErr().println("error: " + e.getMessage());
                    spec.commandLine().getErr().flush();
                    return 2;
                }
                out.println("demo: metrics at " + agent.managementUrl() + "/observe/metrics, health at "
                        + agent.managementUrl() + "/observe/health");
                out.println("demo: each decision is logged below as 'replicas CURRENT -> DESIRED'; "
                        + (seconds == null ? "Ctrl-C stops" : "stopping after " + seconds + " s"));
                out.flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "demo-stop"));
                if (seconds == null) {
                    stop.await();
                } else {
                    stop.await(seconds, TimeUnit.SECONDS);
                }
                Integer replicas = kube.specReplicas("apps/v1", "Deployment", NAMESPACE, DEPLOYMENT);
                out.println("demo: done; " + NAMESPACE + "/" + DEPLOYMENT + " runs " + replicas + " replica(s) for "
                        + aws.state().stream(TABLE).shards().size() + " shard(s) (KEDA's count); "
                        + NAMESPACE + "/" + KCL_DEPLOYMENT + " runs " + replicas(kube, KCL_DEPLOYMENT)
                        + " for the shards with work left (" + workLeft(aws).describe() + ")");
                out.flush();
            }
        }
        return 0;
    }

    private static int replicas(KubeApiSimulator kube, String deployment) {
        Integer n = kube.specReplicas("apps/v1", "Deployment", NAMESPACE, deployment);
        return n == null ? 0 : n;
    }

    /** What the agent's rule makes of the simulator's shards and lease table right now. */
    static LeaseCount workLeft(AwsSimulator aws) {
        return WorkLeft.count(LEASE_TABLE, SimulatedLeases.shards(aws.state(), TABLE),
                SimulatedLeases.leases(aws.state(), LEASE_TABLE));
    }

    /** The spec's IAM-users example, with a short pollingInterval so that the demo moves. */
    static Path writeTriggers(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("triggers"));
        String yaml = """
                # The spec's "Scaling a deployment using IAM Users" example, pollingInterval 5 s for the demo.
                apiVersion: v1
                kind: Secret
                metadata:
                  name: test-secrets
                  namespace: keda-test
                stringData:
                  AWS_ACCESS_KEY_ID: AKIADEMODEMODEMO0001
                  AWS_SECRET_ACCESS_KEY: demo-secret-not-a-real-key
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata:
                  name: keda-trigger-auth-aws-credentials
                  namespace: keda-test
                spec:
                  secretTargetRef:
                  - parameter: awsAccessKeyID
                    name: test-secrets
                    key: AWS_ACCESS_KEY_ID
                  - parameter: awsSecretAccessKey
                    name: test-secrets
                    key: AWS_SECRET_ACCESS_KEY
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: aws-dynamodb-stream-scaledobject
                  namespace: keda-test
                spec:
                  scaleTargetRef:
                    name: nginx-deployment
                  pollingInterval: 5
                  minReplicaCount: 1
                  maxReplicaCount: 10
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef:
                      name: keda-trigger-auth-aws-credentials
                    metadata:
                      awsRegion: ap-northeast-1
                      tableName: keda-events
                      shardCount: "2"
                ---
                # A KCL consumer of the same stream, scaled on the shards with work left: its lease table says which
                # shards it has finished. Scale-down after 10 s (the HPA default waits 300 s) so the demo shows it.
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: kcl-consumer
                  namespace: keda-test
                spec:
                  scaleTargetRef:
                    name: kcl-consumer
                  pollingInterval: 5
                  minReplicaCount: 1
                  maxReplicaCount: 20
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown:
                          stabilizationWindowSeconds: 10
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef:
                      name: keda-trigger-auth-aws-credentials
                    metadata:
                      awsRegion: ap-northeast-1
                      tableName: keda-events
                      shardCount: "2"
                      kclLeaseTable: keda-events-consumer
                """;
        Files.writeString(dir.resolve("scaledobject.yaml"), yaml, StandardCharsets.UTF_8);
        return dir;
    }
}
