package io.ddbstreamscaler.camel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads do not grow with ScaledObjects: one schedule and a fixed pool of poll threads serve them all.
 * Counted, not timed: the JVM's live threads with 10 ScaledObjects polling, then with 310.
 */
class ThreadBoundIT {

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void addScaledObjects(int from, int to) {
        StringBuilder yaml = new StringBuilder();
        for (int i = from; i < to; i++) {
            h.aws.state().createTable("table-" + i, 1);
            h.kube.createDeployment(AgentHarness.NS, "consumer-" + i, 1, Map.of("app", "consumer-" + i));
            yaml.append(h.scaledObject("so-" + i, "table-" + i, "Deployment", "consumer-" + i, 2, "")).append("\n---\n");
        }
        h.writeTriggers("fleet-" + from + ".yaml", yaml.toString());
    }

    private static boolean allPolled(ScalerAgent agent, int n, long polls) {
        return agent.store().size() == n && agent.store().all().stream().allMatch(e -> e.polls() >= polls);
    }

    @Test
    void threadsStayBoundedAsScaledObjectsAreAdded() throws Exception {
        addScaledObjects(0, 10);
        ScalerAgent agent = h.start(h.options(false, false, null));
        await().atMost(Duration.ofSeconds(60)).until(() -> allPolled(agent, 10, 3));
        int withTen = ManagementFactory.getThreadMXBean().getThreadCount();

        addScaledObjects(10, 310);
        agent.checkForChanges();
        await().atMost(Duration.ofSeconds(120)).until(() -> allPolled(agent, 310, 3));
        int withThreeHundredTen = ManagementFactory.getThreadMXBean().getThreadCount();

        assertEquals(310, agent.schedule().size());
        // A route and timer per ScaledObject cost one thread each (300 more); the slack covers the simulators'
        // connection threads, which grow with concurrent connections (at most the poll threads), not with objects.
        assertTrue(withThreeHundredTen - withTen <= 12, "threads with 10 ScaledObjects: " + withTen + ", with 310: "
                + withThreeHundredTen);
    }
}
