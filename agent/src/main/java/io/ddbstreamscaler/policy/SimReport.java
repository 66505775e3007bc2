package io.ddbstreamscaler.policy;

import java.util.List;
import java.util.stream.Collectors;

/** Renders simulated rows for {@code simulate -o text|json}. */
public final class SimReport {

    private SimReport() {
    }

    /** A fixed-width table with a header line, one line per poll. */
    public static String text(List<SimRow> rows) {
        StringBuilder out = new StringBuilder(String.format("%8s %8s %8s %8s  %s%n", "SECONDS", "SHARDS", "CURRENT", "DESIRED", "REASON"));
        for (SimRow r : rows) {
            out.append(String.format("%8d %8s %8d %8d  %s%n", r.seconds(),
                    r.metricValue() == null ? "error" : r.metricValue().toString(), r.current(), r.desired(), r.reason()));
        }
        return out.toString();
    }

    /** One JSON array of objects with seconds, metricValue (null on a failed probe), current, desired, reason. */
    public static String json(List<SimRow> rows) {
        return rows.stream()
                .map(r -> "{\"seconds\":" + r.seconds() + ",\"metricValue\":" + r.metricValue()
                        + ",\"current\":" + r.current() + ",\"desired\":" + r.desired()
                        + ",\"reason\":\"" + r.reason() + "\"}")
                .collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
    }
}
