package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.Leadership;
import io.ddbstreamscaler.election.LeaseNames;
import io.ddbstreamscaler.schedule.PollSchedule;
import io.ddbstreamscaler.schedule.ScaledObjectStore;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lease-spread route's bean: one pass of leader election over every ScaledObject's Lease (named by
 * {@link LeaseNames}), then the schedule polls the ScaledObjects this agent has just won soon (spread over their
 * intervals) instead of at their next slot.
 */
public final class LeaseStage {

    private final Leadership leadership;
    private final PollSchedule schedule;
    private final ScaledObjectStore store;
    private final Runnable firstLead;
    private final AtomicBoolean ledBefore = new AtomicBoolean();
    private Set<String> led = Set.of();

    /** @param firstLead run once, when this agent first leads anything (the AWS SDK's warm-up) */
    public LeaseStage(Leadership leadership, PollSchedule schedule, ScaledObjectStore store, Runnable firstLead) {
        this.leadership = leadership;
        this.schedule = schedule;
        this.store = store;
        this.firstLead = firstLead;
    }

    public synchronized void pass() {
        Map<String, List<String>> idsByGroup = new HashMap<>();
        Map<String, String> legacyByGroup = new HashMap<>();
        for (ScaledObjectStore.Entry e : store.all()) {
            ScaledObjectConfig config = e.config();
            String group = LeaseNames.group(config.namespace(), config.name());
            idsByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(config.id());
            legacyByGroup.put(group, LeaseNames.legacyGroup(config.namespace(), config.name()));
        }
        Set<String> now = leadership.reconcile(idsByGroup.keySet(), legacyByGroup);
        Set<String> won = new HashSet<>(now);
        won.removeAll(led);
        led = Set.copyOf(now);
        if (!won.isEmpty()) {
            schedule.pollSoon(won.stream().flatMap(g -> idsByGroup.getOrDefault(g, List.of()).stream()).toList());
        }
        if (!now.isEmpty() && ledBefore.compareAndSet(false, true)) {
            firstLead.run();
        }
    }

    public boolean leads(ScaledObjectConfig config) {
        return leadership.leads(LeaseNames.group(config.namespace(), config.name()));
    }
}
