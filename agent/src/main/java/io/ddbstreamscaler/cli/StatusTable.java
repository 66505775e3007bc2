package io.ddbstreamscaler.cli;

import io.ddbstreamscaler.cli.AgentStatus.ObjectStatus;
import io.ddbstreamscaler.cli.AgentStatus.TriggerStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code status} table, in the manner of {@code kubectl get hpa}: upper-case headers, columns three spaces apart
 * (kubectl's tabwriter), {@code <unknown>} for a value the agent does not know, {@code <none>} for one that is absent,
 * ages as kubectl prints them.
 */
final class StatusTable {

    static final String UNKNOWN = "<unknown>";
    static final String NONE = "<none>";
    static final List<String> HEADERS = List.of("NAMESPACE", "NAME", "REFERENCE", "SHARDS", "METRIC", "MIN", "MAX",
            "CURRENT", "DESIRED", "ACTIVE", "LEADER", "LAST POLL", "REASON");

    /** kubectl's tabwriter: minimum cell width 6, padding 3. */
    private static final int MIN_WIDTH = 6;
    private static final int PADDING = 3;

    private StatusTable() {
    }

    static String render(AgentStatus status, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        status.scaledObjects().forEach(o -> rows.add(row(o, now)));
        int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], Math.max(MIN_WIDTH, row.get(c).length() + PADDING));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c == row.size() - 1 ? row.get(c) : pad(row.get(c), widths[c]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    static List<String> row(ObjectStatus o, Instant now) {
        return List.of(o.namespace(), o.name(), o.targetKind() + "/" + o.targetName(),
                perTrigger(o, StatusTable::shards), perTrigger(o, StatusTable::metric),
                known(o.min()), known(o.max()), known(o.current()), known(o.desired()),
                flag(o.active()), flag(o.leader()),
                o.lastPoll() == null ? NONE : age(Duration.between(o.lastPoll(), now)),
                o.reason() == null ? NONE : o.reason());
    }

    private static String perTrigger(ObjectStatus o, Function<TriggerStatus, String> cell) {
        return o.triggers().isEmpty() ? NONE : o.triggers().stream().map(cell).collect(Collectors.joining(","));
    }

    static String shards(TriggerStatus t) {
        if (t.open() == null && t.closed() == null && t.total() == null) {
            return UNKNOWN;
        }
        // A trigger reading a KCL lease table adds a fourth number: the shards its consumer finished.
        return known(t.open()) + "/" + known(t.closed()) + "/" + known(t.total())
                + (t.finished() == null ? "" : "/" + t.finished());
    }

    /** metric/target, as kubectl get hpa shows {@code TARGETS}. */
    static String metric(TriggerStatus t) {
        return known(t.metric()) + "/" + known(t.target());
    }

    private static String known(Object value) {
        return value == null ? UNKNOWN : value.toString();
    }

    private static String flag(Boolean value) {
        return value == null ? "Unknown" : value ? "True" : "False";
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }

    /** kubectl's age (k8s.io/apimachinery pkg/util/duration HumanDuration): about 2-3 significant figures. */
    static String age(Duration d) {
        // Truncated toward zero, as Go's int(d.Seconds()); kubectl tolerates a clock up to 2 s ahead as "now".
        long seconds = d.toMillis() / 1000;
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
