package io.ddbstreamscaler.keda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.bench.ExternalAgent;
import io.ddbstreamscaler.bench.keda.AgentProcess;
import io.ddbstreamscaler.bench.keda.KedaBed;
import io.ddbstreamscaler.bench.keda.TwinManifests;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KEDA v2.20.2 calling the agent's external scaler API: ScaledObjects of {@code type: external-push} and
 * {@code external} point at the agent's {@code --grpc-port}; KEDA creates the HPA from the agent's metric spec, and the
 * real HPA controller scales the Deployments as shards split on the AWS simulator; a third one goes over mutual TLS,
 * its CA and client certificate from a TriggerAuthentication.
 *
 * <p>The arrangement: the {@code keda-external} overlay is applied as it ships (ServiceAccount, Role, Service,
 * Deployment with gRPC probes); kwok runs its Pod with no container, so the agent runs as a process on the host with
 * that ServiceAccount's token ({@link KedaBed}). KEDA's operator, on the host too, dials the agent at 127.0.0.1:port
 * where in a cluster its scalerAddress would name the overlay's Service.
 */
@ExtendWith(KedaBedExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KedaInteropIT {

    static final String NS = "interop";
    static final Duration SCALES_WITHIN = Duration.ofMinutes(3);

    KedaBed bed;
    AwsSimulator aws;
    TestCertificates certs;
    AgentProcess plaintext;
    AgentProcess tls;
    int plaintextPort;
    int tlsPort;
    final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    void startAgentsAndApplyScaledObjects(KedaBed kedaBed) throws Exception {
        bed = kedaBed;
        Path work = Files.createDirectories(KedaBedExtension.work().resolve("interop"));
        aws = AwsSimulator.start(Clock.systemUTC(), TwinManifests.REGION, 0);
        aws.state().createTable("push", 1);
        aws.state().createTable("poll", 2);
        aws.state().createTable("tls", 2);
        certs = TestCertificates.make(work.resolve("certs"));

        // The overlay's trigger folder: no ScaledObject of the agent's own, KEDA owns the scaling.
        Path triggers = Files.createDirectories(work.resolve("triggers"));
        Files.copy(KedaBedExtension.REPO.resolve("k8s/overlays/keda-external/triggers/none.yaml"),
                triggers.resolve("none.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        plaintextPort = ExternalAgent.freePort();
        plaintext = startAgent(work.resolve("plaintext"), triggers, "--grpc-port", Integer.toString(plaintextPort));
        tlsPort = ExternalAgent.freePort();
        tls = startAgent(work.resolve("tls"), triggers, "--grpc-port", Integer.toString(tlsPort),
                "--grpc-tls-cert", certs.file("server.crt").toString(), "--grpc-tls-key", certs.file("server.key").toString(),
                "--grpc-client-ca", certs.file("ca.crt").toString());

        bed.cluster().apply(TwinManifests.namespace(NS));
        bed.cluster().apply(TwinManifests.deployment(NS, "push-target") + "---\n"
                + TwinManifests.deployment(NS, "poll-target") + "---\n" + TwinManifests.deployment(NS, "tls-target"));
        bed.cluster().apply(scaledObjects());
    }

    /** Plaintext, KEDA's freshness at 5 s so the HPA sees a split within one sync; the overlay's identity. */
    AgentProcess startAgent(Path dir, Path triggers, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--grpc-freshness", "5"));
        AgentProcess agent = AgentProcess.start(AgentProcess.Launch.of(KedaBedExtension.agentJar(),
                        KedaBedExtension.REPO.resolve("routes"), triggers, bed.serviceAccountKubeconfig(), dir)
                .withArgs(all.toArray(String[]::new)).withEnvironment(bed.agentEnvironment()));
        agent.awaitLine(l -> l.contains("KEDA external scaler API on port"), Duration.ofMinutes(2));
        return agent;
    }

    String scaledObjects() throws Exception {
        String metadata = """
                        tableName: %s
                        awsRegion: %s
                        awsEndpoint: %s
                        shardCount: "1"
                        identityOwner: operator
                """;
        String region = TwinManifests.REGION;
        String endpoint = aws.endpoint().toString();
        return """
                # external-push: activation from zero comes with the agent's push, not with KEDA's poll, which is
                # 300 s away here.
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: push, namespace: %1$s}
                spec:
                  scaleTargetRef: {name: push-target}
                  pollingInterval: 300
                  minReplicaCount: 0
                  triggers:
                    - type: external-push
                      metadata:
                        scalerAddress: 127.0.0.1:%2$d
                        activationShardCount: "2"
                %4$s---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: poll, namespace: %1$s}
                spec:
                  scaleTargetRef: {name: poll-target}
                  pollingInterval: 5
                  triggers:
                    - type: external
                      metadata:
                        scalerAddress: 127.0.0.1:%2$d
                %5$s---
                apiVersion: v1
                kind: Secret
                metadata: {name: ddbstream-scaler-client-tls, namespace: %1$s}
                data:
                  ca.crt: %6$s
                  tls.crt: %7$s
                  tls.key: %8$s
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: ddbstream-scaler-tls, namespace: %1$s}
                spec:
                  secretTargetRef:
                    - {parameter: caCert, name: ddbstream-scaler-client-tls, key: ca.crt}
                    - {parameter: tlsClientCert, name: ddbstream-scaler-client-tls, key: tls.crt}
                    - {parameter: tlsClientKey, name: ddbstream-scaler-client-tls, key: tls.key}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: tls, namespace: %1$s}
                spec:
                  scaleTargetRef: {name: tls-target}
                  pollingInterval: 5
                  triggers:
                    - type: external-push
                      authenticationRef: {name: ddbstream-scaler-tls}
                      metadata:
                        scalerAddress: 127.0.0.1:%3$d
                        enableTLS: "true"
                %9$s""".formatted(NS, plaintextPort, tlsPort,
                metadata.formatted("push", region, endpoint), metadata.formatted("poll", region, endpoint),
                base64(certs.read("ca.crt")), base64(certs.read("client.crt")), base64(certs.read("client.key")),
                metadata.formatted("tls", region, endpoint));
    }

    @AfterAll
    void stop() throws Exception {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (bed != null) {
            bed.cluster().kubectl("delete", "namespace", NS, "--ignore-not-found", "--wait=false");
        }
        for (AgentProcess a : new AgentProcess[] {plaintext, tls}) {
            if (a != null) {
                a.close();
            }
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void kedaMakesTheHpaFromTheAgentsMetricSpec() throws Exception {
        await().atMost(SCALES_WITHIN).until(() -> hpa("poll") != null);
        JsonNode metric = hpa("poll").at("/spec/metrics/0/external");

        assertAll(
                () -> assertEquals("s0-aws-dynamodb-streams-poll", metric.at("/metric/name").asText(), metric.toString()),
                () -> assertEquals("1", metric.at("/target/averageValue").asText(), "shardCount, the agent's targetSize"));
    }

    static Stream<Arguments> kedaScalesThroughTheAgent() {
        // ScaledObject, its target, the count before the split, after splitting one shard
        return Stream.of(
                Arguments.of("external: KEDA polls GetMetrics and IsActive", "poll-target", "poll", 2, 4),
                Arguments.of("external-push over mutual TLS (caCert, tlsClientCert, tlsClientKey)", "tls-target", "tls",
                        2, 4),
                Arguments.of("external-push from zero: activationShardCount 2, KEDA's poll 300 s away", "push-target",
                        "push", 0, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kedaScalesThroughTheAgent")
    void theHpaScalesTheDeploymentAsShardsSplit(String row, String target, String table, int before, int after) {
        await().atMost(SCALES_WITHIN).until(() -> replicas(target) == before);

        aws.state().split(table, 1);

        await().atMost(SCALES_WITHIN).until(() -> replicas(target) == after);
        assertTrue(aws.requests("DescribeStream").stream().allMatch(r -> KedaBed.AGENT_AMBIENT_KEY.equals(r.accessKeyId())),
                "every AWS call came from the agent (identityOwner: operator), none from KEDA");
    }

    static Stream<Arguments> servedServices() {
        return Stream.of(Arguments.of("the server (a grpc: probe's default)", ""),
                Arguments.of("the external scaler API", "externalscaler.ExternalScaler"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servedServices")
    void theRunningAgentAnswersTheStandardHealthCheckPlainAndOverTls(String row, String service) throws Exception {
        ChannelCredentials trusting = TlsChannelCredentials.newBuilder().trustManager(certs.file("ca.crt").toFile())
                .keyManager(certs.file("client.crt").toFile(), certs.file("client.key").toFile()).build();
        var request = HealthCheckRequest.newBuilder().setService(service).build();

        assertAll(
                () -> assertEquals(ServingStatus.SERVING, health(plaintextPort, InsecureChannelCredentials.create())
                        .check(request).getStatus()),
                () -> assertEquals(ServingStatus.SERVING, health(tlsPort, trusting).check(request).getStatus()));
    }

    @Test
    void theOverlayAppliesAsItShipsWithGrpcProbesOnTheApisPort() throws Exception {
        JsonNode deployment = new ObjectMapper().readTree(bed.cluster().kubectl("get", "deployment", "-n",
                TwinManifests.AGENT_NAMESPACE, "ddbstream-scaler", "-o", "json"));
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        String grpcPort = "";
        for (JsonNode env : container.path("env")) {
            if ("SCALER_GRPC_PORT".equals(env.path("name").asText())) {
                grpcPort = env.path("value").asText();
            }
        }
        String port = grpcPort;

        assertAll(
                () -> assertEquals(port, container.at("/readinessProbe/grpc/port").asText()),
                () -> assertEquals(port, container.at("/livenessProbe/grpc/port").asText()),
                // kwok's Pod: Running and Ready as a kubelet would report it (it runs no container and no probe).
                () -> await().atMost(Duration.ofMinutes(1)).until(() -> bed.cluster().kubectl("get", "pods", "-n",
                        TwinManifests.AGENT_NAMESPACE, "-l", "app.kubernetes.io/name=ddbstream-scaler", "-o",
                        "jsonpath={.items[*].status.phase}").contains("Running")));
    }

    private HealthGrpc.HealthBlockingStub health(int port, ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
        channels.add(channel);
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private int replicas(String target) {
        return bed.recorder().current(NS, target).orElse(-1);
    }

    private JsonNode hpa(String scaledObject) throws Exception {
        try {
            return new ObjectMapper().readTree(bed.cluster().kubectl("get", "hpa", "-n", NS, "keda-hpa-" + scaledObject,
                    "-o", "json"));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
