package io.ddbstreamscaler.election;

import io.ddbstreamscaler.bench.ExternalAgent;
import io.ddbstreamscaler.bench.FleetYaml;
import io.ddbstreamscaler.bench.ShippedJvm;
import io.ddbstreamscaler.bench.SimulatedFleet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README: a standby loads none of the AWS SDK's clients until it leads. Two packaged agents
 * ({@code java -jar target/ddbstream-scaler.jar run}, the image's flags) as pods of one namespace on the simulators,
 * one ScaledObject. The second starts once the first leads it, with {@code -Xlog:class+load}: while it stands by, its
 * JVM loads no class of a service client, the SDK's core runtime, a signer or a marshaller. It does load the SDK's
 * credential chain and the URLConnection HTTP client, which the probe builds when the agent starts (86 classes of
 * {@code software.amazon.awssdk.utils}, {@code .http}, {@code .auth.credentials}, {@code .identity} on this build): the
 * test lists them in its output. Once the leader stops and the standby takes over, the same log shows the clients'
 * classes, so the check is one that can fail.
 */
class StandbyClassesIT {

    static final String SDK = " software.amazon.awssdk.";
    /** What a poll needs and a standby must not load: the clients, the runtime that runs a call, signing, marshalling. */
    static final List<String> CLIENT_PACKAGES = List.of("software.amazon.awssdk.services.",
            "software.amazon.awssdk.awscore.", "software.amazon.awssdk.core.internal.", "software.amazon.awssdk.core.client.",
            "software.amazon.awssdk.protocols.", "software.amazon.awssdk.http.auth.", "software.amazon.awssdk.auth.signer.");

    @Test
    void aStandbyLoadsNoAwsSdkClassUntilItLeads(@TempDir Path work) throws Exception {
        Path jar = Path.of("target/ddbstream-scaler.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run after `mvn package`: " + jar);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path classLog = work.resolve("standby-classes.log");
        String ns = FleetYaml.NAMESPACE;
        try (SimulatedFleet fleet = new SimulatedFleet(work, 1, 1, 2, false, 4, 1)) {
            fleet.kube.createPod(ns, "agent-a", LeaseSpread.CANDIDATE_LABELS, null);
            fleet.kube.createPod(ns, "agent-b", LeaseSpread.CANDIDATE_LABELS, null);
            Path routes = Path.of("routes").toAbsolutePath();
            ExternalAgent.Launch plain = new ExternalAgent.Launch(java, jar, ShippedJvm.JAVA_TOOL_OPTIONS, List.of(),
                    fleet.triggers, routes, fleet.kubeconfig, 0, work);
            ExternalAgent.Launch logged = new ExternalAgent.Launch(java, jar, ShippedJvm.JAVA_TOOL_OPTIONS,
                    List.of("-Xlog:class+load=info:file=" + classLog), fleet.triggers, routes, fleet.kubeconfig, 0, work);
            ExternalAgent leader = ExternalAgent.start(plain.asPod("agent-a", ns, ExternalAgent.freePort(),
                    Files.createDirectories(work.resolve("a"))));
            ExternalAgent standby = null;
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !leader.isAlive() || leader.firstDecisionLine().isPresent());
                assertTrue(leader.isAlive(), () -> "the first agent died: " + leader.tail());

                standby = ExternalAgent.start(logged.asPod("agent-b", ns, ExternalAgent.freePort(),
                        Files.createDirectories(work.resolve("b"))));
                ExternalAgent b = standby;
                // Three renewals of its membership: it is a member, and has seen the leader hold the ScaledObject.
                Set<String> renewals = new HashSet<>();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    Lease m = fleet.kube.client().leases().inNamespace(ns)
                            .withName(LeaseSpread.MEMBER_PREFIX + "agent-b").get();
                    if (m != null && m.getSpec() != null && m.getSpec().getRenewTime() != null) {
                        renewals.add(m.getSpec().getRenewTime().toString());
                    }
                    return !b.isAlive() || renewals.size() >= 3;
                });
                assertTrue(b.isAlive(), () -> "the standby died: " + b.tail());
                List<String> standing = sdkClasses(classLog);
                System.out.println("StandbyClassesIT: the standby loaded " + standing.size() + " AWS SDK classes, none "
                        + "of a client: " + standing);
                assertEquals(List.of(), clientClasses(standing), "the standby loaded AWS SDK client classes");
                assertTrue(Files.readAllLines(classLog).size() > 1000, "the class-load log is empty");
                assertFalse(b.firstDecisionLine().isPresent(), () -> "the standby decided: " + b.tail());

                // The leader stops; the standby takes over, and its class-load log now shows the SDK.
                leader.close();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !b.isAlive() || b.firstDecisionLine().isPresent());
                assertTrue(b.firstDecisionLine().isPresent(), () -> "the standby never took over: " + b.tail());
                assertFalse(clientClasses(sdkClasses(classLog)).isEmpty(),
                        "leading, it loads the SDK's clients: the check sees them");
            } finally {
                leader.close();
                if (standby != null) {
                    standby.close();
                }
            }
        }
    }

    private static List<String> clientClasses(List<String> sdk) {
        return sdk.stream().filter(c -> CLIENT_PACKAGES.stream().anyMatch(c::startsWith)).toList();
    }

    /** The names of the SDK classes in the log ("[0.7s][info][class,load] NAME source: …"). */
    private static List<String> sdkClasses(Path classLog) throws IOException {
        return Files.readAllLines(classLog).stream().filter(l -> l.contains(SDK))
                .map(l -> l.substring(l.indexOf(SDK) + 1).split(" ")[0]).toList();
    }
}
