package io.ddbstreamscaler.stream.kcl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link LeaseCount} as {@code /observe/status} and {@code check -o json} show it: how the count was made. Worker
 * ids are the consumer's own (leaseOwner); no credential is in it.
 */
public final class LeaseStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LeaseStatus() {
    }

    /** A JSON object; JSON null without a lease table. */
    public static JsonNode json(LeaseCount c) {
        return c == null ? JSON.nullNode() : JSON.valueToTree(map(c));
    }

    public static Map<String, Object> map(LeaseCount c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", c.table());
        m.put("workLeft", c.workLeft());
        m.put("finished", c.finished());
        m.put("waitingOnParent", c.waitingOnParent());
        m.put("withoutLease", c.withoutLease());
        m.put("finishedLeaseDeleted", c.finishedUnleased());
        m.put("unlistedLeases", c.unlistedLeases());
        m.put("leasesRead", c.leasesRead());
        m.put("workers", c.workers());
        m.put("maxLeasesPerWorker", c.maxPerWorker());
        m.put("unownedLeases", c.unowned());
        m.put("readSecondsAgo", c.snapshotAgeSeconds());
        m.put("byWorker", new TreeMap<>(c.byWorker()));
        return m;
    }
}
