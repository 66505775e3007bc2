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

    /** Only the polls where the replicas change, then one line that sums up the whole trace. */
    public static String changes(List<SimRow> rows) {
        List<SimRow> changed = rows.stream().filter(r -> r.desired() != r.current()).toList();
        long up = changed.stream().filter(r -> r.desired() > r.current()).count();
        String summary;
        if (rows.isEmpty()) {
            summary = "0 polls";
        } else {
            int low = rows.stream().mapToInt(r -> Math.min(r.current(), r.desired())).min().orElse(0);
            int high = rows.stream().mapToInt(r -> Math.max(r.current(), r.desired())).max().orElse(0);
            SimRow last = rows.get(rows.size() - 1);
            summary = String.format("%d of %d polls changed the replicas (%d up, %d down); replicas from %d to %d,"
                    + " %d at the end (%ds)", changed.size(), rows.size(), up, changed.size() - up, low, high,
                    last.desired(), last.seconds());
        }
        return text(changed) + summary + System.lineSeparator();
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
