package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code simulate} on the shipped example ScaledObject and traces. */
class SimulateCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theHourlySplitTraceScalesUpAtEachSplitAndNeverDown() throws Exception {
        Run run = run("-f", "examples/keda-iam-users.yaml", "--trace", "examples/traces/split-every-hour.csv", "-o", "json");
        assertEquals(0, run.exit(), run.err());
        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertEquals(721, rows.size(), "one row per poll of the 6-hour trace");
        int writes = 0;
        int previous = rows.get(0).get("desired").asInt();
        for (JsonNode row : rows) {
            int desired = row.get("desired").asInt();
            assertTrue(desired >= previous, "never scales down while shards only grow: " + row);
            if (desired != row.get("current").asInt()) {
                writes++;
            }
            previous = desired;
        }
        // shards 1, 3, 7, 15, 31, 63, 127 at shardCount 2: one change per hourly split after the first.
        assertEquals(6, writes);
        assertEquals(64, rows.get(rows.size() - 1).get("desired").asInt());
    }

    @Test
    void changesPrintsOnlyTheRowsWhereTheReplicasChangeAndASummary() {
        Run run = run("-f", "examples/keda-iam-users.yaml", "--trace", "examples/traces/split-every-hour.csv", "--changes");
        assertEquals(0, run.exit(), run.err());
        assertEquals(java.util.List.of(
                " SECONDS   SHARDS  CURRENT  DESIRED  REASON",
                "    3600        3        1        2  ScaleUp",
                "    7200        7        2        4  ScaleUp",
                "   10800       15        4        8  ScaleUp",
                "   14400       31        8       16  ScaleUp",
                "   18000       63       16       32  ScaleUp",
                "   21600      127       32       64  ScaleUp",
                "6 of 721 polls changed the replicas (6 up, 0 down); replicas from 1 to 64, 64 at the end (21600s)"),
                run.out().lines().toList());
    }

    @Test
    void changesInJsonIsTheChangedRowsOnly() throws Exception {
        Run run = run("-f", "examples/keda-iam-users.yaml", "--trace", "examples/traces/split-every-hour.csv", "--changes",
                "-o", "json");
        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertEquals(6, rows.size());
        rows.forEach(r -> assertTrue(r.get("desired").asInt() != r.get("current").asInt(), r::toString));
    }

    @Test
    void aBadTraceNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("t.csv"), "seconds,shards\n0,2\n30,four\n");
        Run run = run("-f", "examples/keda-iam-users.yaml", "--trace", trace.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("t.csv:3:"), run.err());
    }

    @Test
    void anInvalidScaledObjectIsReportedNotSimulated(@TempDir Path dir) throws Exception {
        Path so = Files.writeString(dir.resolve("so.yaml"), Files.readString(Path.of("examples/keda-iam-users.yaml"))
                .replace("shardCount: \"2\"", "shardCount: \"0\""));
        Run run = run("-f", so.toString(), "--trace", "examples/traces/split-every-hour.csv");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("shardCount"), run.err());
        assertEquals("", run.out());
    }
}
