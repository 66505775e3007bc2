package io.ddbstreamscaler.observe;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code worker} label values of {@code ddbstream_scaler_kcl_leases}. A KCL worker id is usually per pod (host
 * name and a UUID), so a series per worker would grow with every restart: the label is bounded to the
 * {@link #MAX_WORKERS} workers holding the most leases, the others summed under {@code (other)}, leases no worker
 * holds under {@code (none)}; a worker that no longer holds leases loses its series at the next reading.
 */
public final class KclWorkerSeries {

    /** At most this many worker series per trigger (more than a consumer fleet usually runs). */
    public static final int MAX_WORKERS = 20;
    public static final String OTHER = "(other)";
    public static final String NONE = "(none)";

    private KclWorkerSeries() {
    }

    /** Label value → leases, busiest workers first (ties by id), then {@code (other)} and {@code (none)} if any. */
    public static Map<String, Integer> of(Map<String, Integer> byWorker, int unowned, int maxWorkers) {
        Map<String, Integer> series = new LinkedHashMap<>();
        int other = 0;
        int i = 0;
        for (var e : byWorker.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue()
                .reversed().thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder()))).toList()) {
            if (i++ < maxWorkers) {
                series.put(e.getKey(), e.getValue());
            } else {
                other += e.getValue();
            }
        }
        if (other > 0) {
            series.put(OTHER, other);
        }
        if (unowned > 0) {
            series.put(NONE, unowned);
        }
        return series;
    }
}
