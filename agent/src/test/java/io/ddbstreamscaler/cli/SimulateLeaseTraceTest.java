package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code simulate} with a kclLeaseTable trigger on examples/traces/lease-drain.csv (the changes examples/traces/README.md
 * lists), and the same trace under KEDA's count.
 */
class SimulateLeaseTraceTest {

    static final String TRACE = "examples/traces/lease-drain.csv";

    /** The spec's IAM-users example with {@code kclLeaseTable} added to its trigger. */
    static Path leaseAwareExample(Path dir) throws Exception {
        String yaml = Files.readString(Path.of("examples/keda-iam-users.yaml"));
        assertTrue(yaml.contains("      shardCount: \"2\"\n"));
        return Files.writeString(dir.resolve("kcl-consumer.yaml"), yaml.replace("      shardCount: \"2\"\n",
                "      shardCount: \"2\"\n      kclLeaseTable: keda-events-consumer\n"));
    }

    /** seconds -> desired, for the rows that change the count. */
    static Map<Long, Integer> changes(String json) throws Exception {
        Map<Long, Integer> changes = new LinkedHashMap<>();
        for (JsonNode row : new ObjectMapper().readTree(json)) {
            if (row.get("desired").asInt() != row.get("current").asInt()) {
                changes.put(row.get("seconds").asLong(), row.get("desired").asInt());
            }
        }
        return changes;
    }

    @Test
    void theLeaseAwareCountFallsAsParentsFinish(@TempDir Path dir) throws Exception {
        var run = SimulateCommandTest.run("-f", leaseAwareExample(dir).toString(), "--trace", TRACE, "-o", "json");

        assertEquals(0, run.exit(), run.err());
        Map<Long, Integer> expected = new LinkedHashMap<>();
        expected.put(3600L, 3);    // 6 shards with work: 2 parents, 4 children
        expected.put(4800L, 2);    // parents finished at 4500: 4 left, after the 300 s scale-down window
        expected.put(7200L, 4);    // 12 with work; the HPA's rate limit takes two steps
        expected.put(7260L, 6);
        expected.put(8400L, 4);
        expected.put(10800L, 8);
        expected.put(10860L, 12);
        expected.put(12000L, 8);   // 16 open shards, every closed one finished
        assertEquals(expected, changes(run.out()));
    }

    @Test
    void kedasCountOfTheSameTraceKeepsEveryClosedShard() throws Exception {
        var run = SimulateCommandTest.run("-f", "examples/keda-iam-users.yaml", "--trace", TRACE, "-o", "json");

        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertAll(
                () -> assertEquals(0, run.exit(), run.err()),
                () -> assertEquals(15, rows.get(rows.size() - 1).get("desired").asInt(), "30 listed shards"));
    }

    @Test
    void aLeaseAwareTriggerNeedsTheFinishedColumn(@TempDir Path dir) throws Exception {
        var run = SimulateCommandTest.run("-f", leaseAwareExample(dir).toString(), "--trace",
                "examples/traces/split-every-hour.csv");

        assertAll(
                () -> assertEquals(2, run.exit()),
                () -> assertTrue(run.err().contains("split-every-hour.csv: the ScaledObject's trigger reads a KCL lease"
                        + " table (kclLeaseTable): the trace needs the header 'seconds,open,closed,finished'"), run::err));
    }
}
