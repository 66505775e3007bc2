package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.PollSchedule;
import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.election.Leadership;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lease-spread route's bean: one pass of leader election over every ScaledObject's Lease, then the schedule polls
 * the ScaledObjects this agent has just won soon (spread over their intervals) instead of at their next slot.
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
        Map<String, String> idByGroup = new HashMap<>();
        for (ScaledObjectStore.Entry e : store.all()) {
            idByGroup.put(group(e.config()), e.config().id());
        }
        Set<String> now = leadership.reconcile(idByGroup.keySet());
        Set<String> won = new HashSet<>(now);
        won.removeAll(led);
        led = Set.copyOf(now);
        if (!won.isEmpty()) {
            List<String> ids = won.stream().map(idByGroup::get).filter(java.util.Objects::nonNull).toList();
            schedule.pollSoon(ids);
        }
        if (!now.isEmpty() && ledBefore.compareAndSet(false, true)) {
            firstLead.run();
        }
    }

    public boolean leads(ScaledObjectConfig config) {
        return leadership.leads(group(config));
    }

    /** The Lease group of a ScaledObject: its Lease is named "leaders-" + group (a DNS-1123 name). */
    public static String group(ScaledObjectConfig config) {
        return group(config.namespace(), config.name());
    }

    /** The Lease group of the ScaledObject {@code namespace/name}. */
    public static String group(String namespace, String name) {
        String raw = ("ddbstream-scaler-" + namespace + "-" + name).toLowerCase();
        String clean = raw.replaceAll("[^a-z0-9-]", "-");
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }
}
