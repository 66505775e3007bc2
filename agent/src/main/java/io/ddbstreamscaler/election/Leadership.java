package io.ddbstreamscaler.election;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Which ScaledObjects this agent polls, by Lease group. With leader election the Leases are spread over the live
 * agents ({@code LeaseSpread}); without, this agent leads everything.
 */
public interface Leadership {

    /** One pass: takes and hands over Leases; returns the groups this agent leads after it. Never throws. */
    Set<String> reconcile(Collection<String> groups);

    /**
     * One pass over {@code groups}, each with the group agents of earlier versions named it by ({@code legacyByGroup},
     * see {@link LeaseNames#legacyGroup}), so that an upgrade never has an old and a new agent lead one ScaledObject.
     */
    default Set<String> reconcile(Collection<String> groups, Map<String, String> legacyByGroup) {
        return reconcile(groups);
    }

    /** As of the last pass. */
    boolean leads(String group);

    /** Leases this agent holds. */
    int held();

    /** On shutdown: hands every Lease over at once. */
    void releaseAll();

    /** No election: this agent leads every ScaledObject. */
    static Leadership everything() {
        return new Leadership() {
            private volatile int groups;

            @Override
            public Set<String> reconcile(Collection<String> all) {
                groups = all.size();
                return Set.copyOf(all);
            }

            @Override
            public boolean leads(String group) {
                return true;
            }

            @Override
            public int held() {
                return groups;
            }

            @Override
            public void releaseAll() {
            }
        };
    }
}
