package io.ddbstreamscaler.stream.kcl;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns Scan items into {@link LeaseItem}s. Tolerant: an attribute of another type than KCL writes reads as absent,
 * attributes the count does not need are ignored, and an item without a string {@code leaseKey} is skipped.
 */
public final class LeaseItems {

    public static final String LEASE_KEY = "leaseKey";
    public static final String CHECKPOINT = "checkpoint";
    public static final String LEASE_OWNER = "leaseOwner";
    /** The attributes a Scan needs to project: nothing else is read. */
    public static final List<String> PROJECTED = List.of(LEASE_KEY, CHECKPOINT, LEASE_OWNER);

    private LeaseItems() {
    }

    /** The lease, or null when the item has no string leaseKey. */
    public static LeaseItem of(Map<String, AttributeValue> item) {
        String key = string(item, LEASE_KEY);
        if (key == null || key.isEmpty()) {
            return null;
        }
        return new LeaseItem(key, string(item, CHECKPOINT), string(item, LEASE_OWNER));
    }

    /** Adds the page's leases to {@code into}; returns how many items were skipped. */
    public static int addAll(Collection<Map<String, AttributeValue>> page, Map<String, LeaseItem> into) {
        int skipped = 0;
        for (Map<String, AttributeValue> item : page) {
            LeaseItem lease = of(item);
            if (lease == null) {
                skipped++;
            } else {
                into.put(lease.leaseKey(), lease);
            }
        }
        return skipped;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
