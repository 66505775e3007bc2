package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.ScaleDecision.Reason;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole policy over time, on the traces shipped in examples/traces. */
class TraceSimulationTest {

    static final Path SPLITS = Path.of("examples/traces/split-every-hour.csv");
    static final Path ERRORS = Path.of("examples/traces/probe-errors.csv");
    static final SimTrigger KEDA_TRIGGER = new SimTrigger("s0-aws-dynamodb-streams-orders",
            MetricType.AVERAGE_VALUE, 2, 0, true);

    /**
     * 6 h, a split every hour, closed shards kept (they age out only after 24 h): the shard count only grows, so
     * the bound asserted is the strictest one: the count never goes down, and it changes exactly once per split,
     * at the very poll that shows the split, to ceil(shards / shardCount).
     */
    @Test
    void splitEveryHourScalesOncePerSplitWithinOnePollAndNeverFlaps() {
        List<TraceRow> trace = TraceCsv.parse(SPLITS);
        List<SimRow> rows = TraceSimulation.run(List.of(KEDA_TRIGGER), ScalingSettings.kedaDefaults(), trace, 1);

        assertEquals(721, rows.size(), "6 h at one poll per 30 s");
        List<Long> changedAt = new ArrayList<>();
        List<Long> splitAt = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SimRow r = rows.get(i);
            assertTrue(r.desired() >= r.current(), () -> "scaled down at " + r.seconds() + " s: " + r);
            if (r.desired() != r.current()) {
                changedAt.add(r.seconds());
            }
            if (i > 0 && !r.metricValue().equals(rows.get(i - 1).metricValue())) {
                splitAt.add(r.seconds());
                int wanted = (int) Math.ceil(r.metricValue() / 2.0);
                assertEquals(wanted, r.desired(), () -> "reacts to the split within the poll at " + r.seconds() + " s");
            }
        }
        assertEquals(List.of(3600L, 7200L, 10800L, 14400L, 18000L, 21600L), splitAt);
        assertEquals(splitAt, changedAt, "one change per split and none between");
        assertEquals(64, rows.get(rows.size() - 1).desired(), "127 shards at 2 per replica");
    }

    @Test
    void historyStaysBoundedOverSixHours() {
        List<TraceRow> trace = TraceCsv.parse(SPLITS);
        PolicyHistory h = PolicyHistory.empty();
        int current = 1;
        int largest = 0;
        for (TraceRow row : trace) {
            ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(List.of(TriggerReading.of("t", MetricType.AVERAGE_VALUE,
                    2, 0, row.metricValue(true))), current, ScalingSettings.kedaDefaults(), h,
                    Instant.EPOCH.plusSeconds(row.seconds()), false));
            h = d.nextHistory();
            current = d.desiredReplicas();
            largest = Math.max(largest, h.recommendations().size());
        }
        // one recommendation per 30 s poll inside the 300 s window, plus the one being replaced
        assertTrue(largest <= 300 / 30 + 2, "recommendations kept: " + largest);
    }

    @Test
    void failedProbesHoldThenCooldownThenZero() {
        List<SimRow> rows = TraceSimulation.run(List.of(KEDA_TRIGGER), ScalingSettings.kedaDefaults(),
                TraceCsv.parse(ERRORS), 1);
        for (SimRow r : rows) {
            if (r.metricValue() == null) {
                assertEquals(Reason.ProbeFailedHold, r.reason(), () -> "at " + r.seconds());
                assertEquals(r.current(), r.desired(), () -> "a failure never moves the count, at " + r.seconds());
            }
        }
        assertEquals(3, at(rows, 570).desired(), "6 shards at 2 per replica");
        assertEquals(Reason.CooldownHold, at(rows, 870).reason(), "last active at 570 s, cooldown 300 s");
        assertEquals(Reason.Inactive, at(rows, 900).reason());
        assertEquals(0, at(rows, 900).desired());
        assertEquals(0, rows.get(rows.size() - 1).desired());
    }

    @Test
    void fallbackAfterMoreThanFailureThresholdFailures() {
        ScalingSettings s = new ScalingSettings(0, 100, null, 300, 0, new Fallback(3, 5), null, null, false);
        List<SimRow> rows = TraceSimulation.run(List.of(KEDA_TRIGGER), s, TraceCsv.parse(ERRORS), 1);
        assertEquals(Reason.ProbeFailedHold, at(rows, 240).reason(), "third failure: not more than 3 yet");
        assertEquals(Reason.Fallback, at(rows, 270).reason(), "fourth failure");
        assertEquals(5, at(rows, 270).desired());
    }

    @Test
    void reportsRenderEveryRow() {
        List<SimRow> rows = List.of(new SimRow(0, 4, 1, 2, Reason.ScaleUp), new SimRow(30, null, 2, 2, Reason.ProbeFailedHold));
        assertEquals("""
                [
                  {"seconds":0,"metricValue":4,"current":1,"desired":2,"reason":"ScaleUp"},
                  {"seconds":30,"metricValue":null,"current":2,"desired":2,"reason":"ProbeFailedHold"}
                ]
                """, SimReport.json(rows));
        assertEquals(3, SimReport.text(rows).lines().count(), "a header and one line per poll");
        assertTrue(SimReport.text(rows).lines().skip(2).findFirst().orElseThrow().contains("error"));
    }

    private static SimRow at(List<SimRow> rows, long seconds) {
        return rows.stream().filter(r -> r.seconds() == seconds).findFirst().orElseThrow();
    }

    @Test
    void refusesNoTriggerAndANegativeStartButStartsFromZero() {
        List<TraceRow> trace = List.of(TraceRow.shards(0, 4), TraceRow.failure(30));
        assertEquals("simulate needs at least one trigger", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> TraceSimulation.run(List.of(), ScalingSettings.kedaDefaults(),
                        trace, 1)).getMessage());
        assertEquals("--start-replicas must be >= 0, got -1", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> TraceSimulation.run(List.of(KEDA_TRIGGER),
                        ScalingSettings.kedaDefaults(), trace, -1)).getMessage());
        List<SimRow> rows = TraceSimulation.run(List.of(KEDA_TRIGGER), ScalingSettings.kedaDefaults(),
                trace, 0);
        assertEquals(List.of(0, 1), rows.stream().map(SimRow::current).toList(), "from 0, activated to 1");
        assertEquals(java.util.Arrays.asList(4, null), rows.stream().map(SimRow::metricValue).toList(),
                "a failed probe has no metric");
    }
}
