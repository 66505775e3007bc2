package io.ddbstreamscaler.cluster;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's run against a local control plane ("Or against a real Kubernetes control plane on your machine"), as
 * written, on the suite's cluster. The only changes: the scripts' environment names the suite's cluster directory
 * and a free port for the AWS simulator (instead of {@code /tmp/ddbss-cluster} and 4566), and the closing
 * {@code stop.sh --purge} is left out (the suite stops its cluster itself). {@code start.sh} finds the cluster running
 * and says so. First of the classes: the block creates {@code keda-test}, which OverlaysIT then deletes and creates
 * again.
 */
@ExtendWith(ClusterExtension.class)
@Order(0)
class ReadmeLocalClusterIT {

    static final String SECTION = "Or against a real Kubernetes control plane on your machine";
    static final String STOP = "bash scripts/cluster/stop.sh --purge";

    static LocalCluster cluster;

    @BeforeAll
    static void cluster(LocalCluster c) {
        cluster = c;
    }

    @Test
    void readmesBlockScalesARealDeploymentAsTheServiceAccount() throws IOException {
        String block = block(Files.readString(Path.of("README.md")));
        assertTrue(block.contains(STOP), "the block ends by stopping the cluster:\n" + block);
        String script = "export DDBSS_CLUSTER_DIR=" + cluster.adminKubeconfig().getParent()
                + " DDBSS_AWS_PORT=" + freePort() + "\n" + block.replace(STOP, "true");

        Result r = Result.run(List.of("bash", "-c", script), 300);

        String shown = r.out() + r.err();
        for (String expected : expectedOutputs(block)) {
            assertTrue(shown.contains(expected), () -> "README shows " + expected + "; the block printed:\n" + r);
        }
        assertTrue(shown.contains("SuccessfulRescale"), r::toString);
        assertFalse(shown.contains("error:"), r::toString);
        // README's "READY 3/3": the ReplicaSet controller made the Pods and kwok runs them.
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.kubectl("-n", "keda-test", "get", "deployment",
                "nginx-deployment", "-o", "jsonpath={.spec.replicas} {.status.readyReplicas}").trim().equals("3 3"));
        List<AuditLog.Request> writes = new AuditLog(cluster.auditLog()).requests(AuditLog.scaleWrite()
                .and(w -> w.namespace().equals("keda-test")));
        assertEquals(List.of(AuditLog.agentUser("keda-test")), writes.stream().map(AuditLog.Request::user).toList(),
                "one /scale write, by the agent's ServiceAccount (never the admin)");
    }

    /** The first {@code ```sh} block after README's sentence that introduces the local control plane. */
    static String block(String readme) {
        int at = readme.indexOf(SECTION);
        assertTrue(at >= 0, "README introduces the local control plane run with: " + SECTION);
        int start = readme.indexOf("```sh\n", at) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("```\n", start));
    }

    /** What README shows a command prints: its {@code #   text} lines. */
    static List<String> expectedOutputs(String block) {
        return block.lines().filter(l -> l.startsWith("#   ")).map(l -> l.substring(4).strip()).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
