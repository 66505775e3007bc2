package io.ddbstreamscaler.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a shard trace through {@link ReplicaPolicy}, with a target that follows each decision at once
 * (a poll's current is the previous poll's desired) and a clock that is the trace's own seconds.
 */
public final class TraceSimulation {

    private TraceSimulation() {
    }

    public static List<SimRow> run(List<SimTrigger> triggers, ScalingSettings settings, List<TraceRow> trace,
                                   int startReplicas) {
        if (triggers.isEmpty()) {
            throw new IllegalArgumentException("simulate needs at least one trigger");
        }
        if (startReplicas < 0) {
            throw new IllegalArgumentException("--start-replicas must be >= 0, got " + startReplicas);
        }
        List<SimRow> rows = new ArrayList<>(trace.size());
        PolicyHistory history = PolicyHistory.empty();
        int current = startReplicas;
        for (TraceRow row : trace) {
            List<TriggerReading> readings = triggers.stream().map(t -> reading(t, row)).toList();
            ScaleDecision d = ReplicaPolicy.decide(new PolicyInput(readings, current, settings, history,
                    Instant.EPOCH.plusSeconds(row.seconds()), false));
            Integer metric = row.failed() ? null : row.metricValue(triggers.get(0));
            rows.add(new SimRow(row.seconds(), metric, current, d.desiredReplicas(), d.reason()));
            history = d.nextHistory();
            current = d.desiredReplicas();
        }
        return List.copyOf(rows);
    }

    private static TriggerReading reading(SimTrigger t, TraceRow row) {
        return row.failed()
                ? TriggerReading.failed(t.metricName(), t.metricType(), t.shardCount(), t.activationShardCount(),
                "probe failed (trace row at " + row.seconds() + " s)")
                : TriggerReading.of(t.metricName(), t.metricType(), t.shardCount(), t.activationShardCount(),
                row.metricValue(t));
    }
}
