package io.ddbstreamscaler.demo;

import io.ddbstreamscaler.bench.ExternalAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's first command, as a user types it after the build: {@code java -jar target/ddbstream-scaler.jar demo}. The
 * agent's jar starts the tools jar beside it (target/tools/), which runs the whole agent against the simulators. The
 * process's own output is read: its decision lines, its closing line, and no credential anywhere in it.
 */
class DemoCommandIT {

    /** README: "INFO  decision - ScaledObject keda-test/… Deployment/nginx-deployment: table keda-events …; replicas 2 -> 3 reason=…". */
    static final Pattern DECISION = Pattern.compile(" decision - ScaledObject keda-test/aws-dynamodb-stream-scaledobject "
            + "Deployment/nginx-deployment: table keda-events shards total=(\\d+) .*; replicas (\\d+) -> (\\d+) reason=\\w+");
    static final Pattern DONE = Pattern.compile(
            "demo: done; keda-test/nginx-deployment runs (\\d+) replica\\(s\\) for (\\d+) shard\\(s\\)");
    /** The demo's Secret value (DemoCommand.writeTriggers): never printed. */
    static final String DEMO_SECRET = "demo-secret-not-a-real-key";

    @Test
    void theDemoPrintsADecisionForEveryPollAndEndsWithTheCountItWrote(@TempDir Path work) throws Exception {
        Path jar = Path.of("target/ddbstream-scaler.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run after `mvn package`: " + jar);
        assertTrue(Files.isRegularFile(Path.of("target/tools/ddbstream-scaler-tools.jar")), "the tools jar beside it");
        Path output = work.resolve("demo.out");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process demo = new ProcessBuilder(java, "-jar", jar.toString(), "demo", "--seconds", "5",
                "--management-port", Integer.toString(ExternalAgent.freePort()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(demo.waitFor(180, TimeUnit.SECONDS), "demo --seconds 5 did not end: " + read(output));
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
        String printed = read(output);
        assertEquals(0, demo.exitValue(), printed);

        List<Integer> desired = new ArrayList<>();
        for (String line : printed.split("\n")) {
            Matcher m = DECISION.matcher(line);
            if (m.find()) {
                int to = Integer.parseInt(m.group(3));
                // The demo's ScaledObject: minReplicaCount 1, maxReplicaCount 10.
                assertTrue(to >= 1 && to <= 10, line);
                desired.add(to);
            }
        }
        assertFalse(desired.isEmpty(), "no decision line: " + printed);
        Matcher done = DONE.matcher(printed);
        assertTrue(done.find(), "no closing line: " + printed);
        int replicas = Integer.parseInt(done.group(1));
        assertTrue(desired.contains(replicas), "the Deployment runs " + replicas + ", which no decision asked for: "
                + desired);
        assertFalse(printed.contains(DEMO_SECRET), "the Secret's value was printed");
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }
}
