package io.ddbstreamscaler.observe;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.stream.kcl.LeaseCount;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The agent's Prometheus metrics. KEDA's names and labels come first so that existing KEDA dashboards and alerts work
 * (kedacore/keda pkg/metricscollector/prommetrics.go: labels namespace, metric, scaledObject, scaler, triggerIndex,
 * type); ours follow under {@code ddbstream_scaler_*}. Labels are bounded: one series per trigger or ScaledObject, never
 * per shard, request or error message, and never a credential.
 *
 * <p>Gauges are registered here from Java, not from camel-micrometer endpoints: camel-micrometer has no gauge type, and
 * a gauge held by a bean that a route reload re-creates would freeze (the registry keeps the first registration).
 */
public final class ScalerMetrics {

    /** KEDA's scaler label for this scaler: the Go type name (scale_handler.go uses fmt.Sprintf("%T")). */
    public static final String KEDA_SCALER = "awsDynamoDBStreamsScaler";

    private final MeterRegistry registry;
    private final Map<Meter.Id, AtomicReference<Double>> gaugeValues = new ConcurrentHashMap<>();
    /**
     * Gauges read at scrape time that are registered, by name and tags. Not {@code registry.find(...)}: a search walks
     * every meter, so registering 10,000 ScaledObjects that way took a minute (bench scale).
     */
    private final java.util.Set<String> functionGauges = ConcurrentHashMap.newKeySet();
    /** The worker labels of ddbstream_scaler_kcl_leases each trigger published last, so that gone ones are removed. */
    private final Map<Tags, java.util.Set<String>> kclWorkers = new ConcurrentHashMap<>();

    public ScalerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** KEDA's per-trigger labels. */
    public static Tags triggerTags(String namespace, String scaledObject, int triggerIndex, String metricName) {
        return Tags.of("namespace", namespace, "scaledObject", scaledObject, "scaler", KEDA_SCALER,
                "triggerIndex", Integer.toString(triggerIndex), "metric", metricName, "type", "scaledobject");
    }

    public static Tags scaledObjectTags(String namespace, String scaledObject) {
        return Tags.of("namespace", namespace, "scaledObject", scaledObject);
    }

    /**
     * Agent-wide error counters at 0 from the start, as Prometheus advises for known label sets: an
     * {@code increase()} alert then has a series to compare with before the first error.
     */
    public void registerAgentErrorCounters() {
        for (String kind : List.of("triggers", "routes")) {
            configErrors(kind);
        }
        for (String outcome : List.of("error", "throttled")) {
            awsCalls(outcome);
        }
    }

    /**
     * A ScaledObject's error counters at 0 from its load: its own, each trigger's, its failed writes (both directions)
     * and, when it has a fallback, its Fallback decisions. Removed with it ({@link #removeScaledObject}).
     */
    public void registerScaledObjectErrorCounters(Tags scaledObject, List<Tags> triggers, boolean fallback) {
        scaledObjectErrors(scaledObject);
        triggers.forEach(this::errorCounter);
        for (String direction : List.of("up", "down")) {
            scaleWrites(scaledObject, direction, "failure");
        }
        if (fallback) {
            decisions(scaledObject, "Fallback");
        }
    }

    /** A successful shard count of one trigger. */
    public void recordReading(Tags trigger, double metricValue, boolean active, double latencySeconds,
                              int total, int open, int closed) {
        gauge("keda.scaler.metrics.value", "The current value for each scaler's metric that would be used by the HPA in computing the target average.", trigger, metricValue);
        gauge("keda.scaler.active", "Indicates whether a scaler is active (1), or not (0).", trigger, active ? 1 : 0);
        gauge("keda.scaler.metrics.latency.seconds", "The latency of retrieving current metric from each scaler, in seconds.", trigger, latencySeconds);
        gauge("ddbstream.scaler.shards", "Stream shards by state (open: no EndingSequenceNumber; closed: kept 24 h by DynamoDB).", trigger.and("state", "open"), open);
        gauge("ddbstream.scaler.shards", "Stream shards by state (open: no EndingSequenceNumber; closed: kept 24 h by DynamoDB).", trigger.and("state", "closed"), closed);
        gauge("ddbstream.scaler.shards", "Stream shards by state (open: no EndingSequenceNumber; closed: kept 24 h by DynamoDB).", trigger.and("state", "total"), total);
        // KEDA initialises its error counter at 0 on success, so rate() works from the first scrape.
        errorCounter(trigger);
    }

    /**
     * What a trigger's KCL lease table said ({@code kclLeaseTable}): finished shards beside open/closed/total, and the
     * leases of shards with work left per worker, bounded ({@link KclWorkerSeries}), with the most on one worker.
     */
    public void recordLeases(Tags trigger, LeaseCount leases) {
        gauge("ddbstream.scaler.shards", "Stream shards by state (open: no EndingSequenceNumber; closed: kept 24 h by DynamoDB).", trigger.and("state", "finished"), leases.finished());
        gauge("ddbstream.scaler.kcl.leases.max.per.worker", "The most leases of shards with work left held by one KCL worker (kclLeaseTable).", trigger, leases.maxPerWorker());
        gauge("ddbstream.scaler.kcl.workers", "KCL workers holding leases of shards with work left (kclLeaseTable).", trigger, leases.workers());
        Map<String, Integer> series = KclWorkerSeries.of(leases.byWorker(), leases.unowned(), KclWorkerSeries.MAX_WORKERS);
        series.forEach((worker, count) -> gauge("ddbstream.scaler.kcl.leases", "Leases of shards with work left, by KCL worker (leaseOwner; the busiest 20, then (other); (none): no worker).", trigger.and("worker", worker), count));
        java.util.Set<String> previous = kclWorkers.put(trigger, java.util.Set.copyOf(series.keySet()));
        if (previous != null) {
            previous.stream().filter(w -> !series.containsKey(w)).forEach(w -> {
                Meter.Id id = new Meter.Id("ddbstream.scaler.kcl.leases", trigger.and("worker", w), null, null, Meter.Type.GAUGE);
                gaugeValues.remove(id);
                registry.remove(id);
            });
        }
    }

    /** A failed shard count of one trigger: KEDA's detail error counter plus the ScaledObject's. */
    public void recordTriggerError(Tags trigger, Tags scaledObject) {
        errorCounter(trigger).increment();
        recordScaledObjectError(scaledObject);
    }

    public void recordScaledObjectError(Tags scaledObject) {
        scaledObjectErrors(scaledObject).increment();
    }

    private Counter scaledObjectErrors(Tags scaledObject) {
        return Counter.builder("keda.scaled.object.errors").description("The number of errors that have occurred for each ScaledObject.")
                .tags(scaledObject).register(registry);
    }

    /** AWS API calls spent, by outcome (success or error). */
    public void recordAwsCalls(String outcome, int calls) {
        if (calls > 0) {
            awsCalls(outcome).increment(calls);
        }
    }

    private Counter awsCalls(String outcome) {
        return Counter.builder("ddbstream.scaler.aws.calls").description("AWS API calls made by the stream probe, by outcome.")
                .tag("outcome", outcome).register(registry);
    }

    /** One decision of the replica policy. */
    public void recordDecision(Tags scaledObject, int current, int desired, String reason, boolean paused, double pollSeconds) {
        gauge("ddbstream.scaler.replicas", "Replicas of the scale target: current (read from /scale) and desired (the policy's decision).", scaledObject.and("kind", "current"), current);
        gauge("ddbstream.scaler.replicas", "Replicas of the scale target: current (read from /scale) and desired (the policy's decision).", scaledObject.and("kind", "desired"), desired);
        gauge("keda.scaled.object.paused", "Indicates whether a ScaledObject is paused (1), or not (0).", scaledObject, paused ? 1 : 0);
        gauge("ddbstream.scaler.poll.duration.seconds", "Wall time of the last poll: probe, policy and sinks.", scaledObject, pollSeconds);
        gauge("ddbstream.scaler.last.poll.timestamp.seconds", "Unix time of the last completed poll (staleness alarms).", scaledObject, System.currentTimeMillis() / 1000.0);
        decisions(scaledObject, reason).increment();
    }

    private Counter decisions(Tags scaledObject, String reason) {
        return Counter.builder("ddbstream.scaler.decisions").description("Decisions of the replica policy, by reason.")
                .tags(scaledObject).tag("reason", reason).register(registry);
    }

    /** One write to the scale subresource. */
    public void recordScaleWrite(Tags scaledObject, String direction, String outcome) {
        scaleWrites(scaledObject, direction, outcome).increment();
    }

    private Counter scaleWrites(Tags scaledObject, String direction, String outcome) {
        return Counter.builder("ddbstream.scaler.scale.writes").description("Writes to the scale subresource, by direction (up, down) and outcome.")
                .tags(scaledObject).tag("direction", direction).tag("outcome", outcome).register(registry);
    }

    /** A trigger or route file that could not be loaded (the last good configuration keeps running). */
    public void recordConfigError(String kind) {
        configErrors(kind).increment();
    }

    private Counter configErrors(String kind) {
        return Counter.builder("ddbstream.scaler.config.errors").description("Configuration files that failed to load, by kind (triggers, routes).")
                .tag("kind", kind).register(registry);
    }

    /** Objects of the trigger files that do not load at the last load; /observe/status lists them with their errors. */
    public void recordInvalidObjects(int count) {
        gauge("ddbstream.scaler.invalid.objects", "Objects in the trigger files (ScaledObjects, TriggerAuthentications,"
                + " Secrets) that did not load at the last load; /observe/status lists them with their errors.", Tags.empty(), count);
    }

    /** 1 while this agent holds the ScaledObject's Lease (always 1 with leader election off); read at scrape time. */
    public void registerLeader(Tags scaledObject, java.util.function.BooleanSupplier leader) {
        if (functionGauges.add("ddbstream.scaler.leader" + scaledObject)) {
            Gauge.builder("ddbstream.scaler.leader", leader, l -> l.getAsBoolean() ? 1 : 0)
                    .description("1 when this agent holds the ScaledObject's Lease and so probes and writes.")
                    .tags(scaledObject).strongReference(true).register(registry);
        }
    }

    /**
     * Per ScaledObject, read at scrape time: seconds since its last complete reading (NaN while another agent leads it),
     * and its pollingInterval, so that a staleness alert can compare the two.
     */
    public void registerSchedule(Tags scaledObject, java.util.function.DoubleSupplier readingAgeSeconds, int pollingIntervalSeconds) {
        if (functionGauges.add("ddbstream.scaler.reading.age.seconds" + scaledObject)) {
            Gauge.builder("ddbstream.scaler.reading.age.seconds", readingAgeSeconds, java.util.function.DoubleSupplier::getAsDouble)
                    .description("Seconds since the last poll in which every trigger of the ScaledObject got a reading (NaN on a standby agent).")
                    .tags(scaledObject).strongReference(true).register(registry);
        }
        gauge("ddbstream.scaler.polling.interval.seconds", "The ScaledObject's pollingInterval.", scaledObject, pollingIntervalSeconds);
    }

    /** Agent-wide, read at scrape time: Leases this agent holds (every ScaledObject with election off). */
    public void registerLeasesHeld(java.util.function.IntSupplier held) {
        if (functionGauges.add("ddbstream.scaler.leases.held")) {
            Gauge.builder("ddbstream.scaler.leases.held", held, h -> h.getAsInt())
                    .description("ScaledObject Leases this agent holds, so polls (all of them with leader election off).")
                    .strongReference(true).register(registry);
        }
    }

    /** How late a poll started: its actual start minus its scheduled start (budget waits included). */
    public void recordPollLateness(double seconds) {
        io.micrometer.core.instrument.DistributionSummary.builder("ddbstream.scaler.poll.lateness.seconds")
                .description("Poll start minus its scheduled start, waits for the AWS call budget included.")
                .baseUnit("seconds").publishPercentiles(0.5, 0.99).register(registry).record(Math.max(0, seconds));
    }

    public void recordScaledObjects(int count) {
        gauge("ddbstream.scaler.scaled.objects", "ScaledObjects this agent runs.", Tags.empty(), count);
    }

    /** Drops every series of a ScaledObject that is gone, so no stale value is reported (KEDA: DeleteScalerMetrics). */
    public void removeScaledObject(String namespace, String name) {
        Predicate<Meter.Id> ofIt = id -> namespace.equals(id.getTag("namespace")) && name.equals(id.getTag("scaledObject"));
        List<Meter> gone = registry.getMeters().stream().filter(m -> ofIt.test(m.getId())).toList();
        for (Meter meter : gone) {
            registry.remove(meter);
            gaugeValues.remove(meter.getId());
        }
        kclWorkers.keySet().removeIf(t -> ofIt.test(new Meter.Id("t", t, null, null, Meter.Type.GAUGE)));
        Tags tags = scaledObjectTags(namespace, name);
        functionGauges.remove("ddbstream.scaler.leader" + tags);
        functionGauges.remove("ddbstream.scaler.reading.age.seconds" + tags);
    }

    private Counter errorCounter(Tags trigger) {
        return Counter.builder("keda.scaler.detail.errors").description("The total number of errors encountered for each scaler.")
                .tags(trigger).register(registry);
    }

    private void gauge(String name, String help, Tags tags, double value) {
        Meter.Id key = new Meter.Id(name, tags, null, null, Meter.Type.GAUGE);
        gaugeValues.computeIfAbsent(key, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge.builder(name, holder, AtomicReference::get).description(help).tags(tags).strongReference(true).register(registry);
            return holder;
        }).set(value);
    }
}
