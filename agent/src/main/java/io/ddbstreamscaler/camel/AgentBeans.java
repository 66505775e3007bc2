package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.LeaseNames;
import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.schedule.BudgetWarnings;
import io.ddbstreamscaler.schedule.PollCommit;
import io.ddbstreamscaler.schedule.PollSchedule;
import io.ddbstreamscaler.schedule.ScaledObjectStore;
import io.ddbstreamscaler.schedule.TriggerReconciler;
import io.ddbstreamscaler.trigger.FailedToLoad;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.main.Main;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's one configuration: builds every bean from the options and the ports, and binds into Camel's registry the
 * ones the routes name, under those names, with the two Camel looks up itself ({@link #bindInto}). {@link RouteContract}
 * checks the routes' bean names against that registry.
 */
final class AgentBeans {

    /** The schedule's state a poll works on: the store, the schedule, and the poll's completion. */
    record PollState(ScaledObjectStore store, PollSchedule schedule, PollCommit commit) {
    }

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final ScalerMetrics metrics = new ScalerMetrics(registry);
    final ConfigReadiness readiness = new ConfigReadiness();
    final PollState polls;
    final LeaseStage leases;
    final TriggerReconciler triggers;
    final BudgetWarnings budget;
    private final AgentPorts ports;
    private final Map<String, Object> bound = new LinkedHashMap<>();

    /** @param warmUp loads the AWS SDK off the first poll's path (run when this agent first leads) */
    AgentBeans(AgentOptions options, AgentPorts ports, Runnable warmUp) {
        this.ports = ports;
        ScaledObjectStore store = new ScaledObjectStore();
        PollSchedule schedule = new PollSchedule(ports.clock(), ports.shardCounter(),
                config -> ports.leadership().leads(LeaseNames.group(config.namespace(), config.name())),
                store::expectedCalls, options.once());
        polls = new PollState(store, schedule, new PollCommit(store, schedule, ports.clock()));
        leases = new LeaseStage(ports.leadership(), schedule, store, warmUp);
        triggers = new TriggerReconciler(options.configPaths(), ports.kube().clusterSecrets(), store, schedule,
                new TriggerEvents(), ports.clock(), options.strict());
        budget = new BudgetWarnings(ports.shardCounter().budgetPerSecond());
        metrics.registerLeasesHeld(ports.leadership()::held);
        metrics.registerAgentErrorCounters();

        EventsSink events = new EventsSink(ports.kube().events(), store, options.dryRun());
        // Camel's own lookups: the micrometer endpoints' registry, and the readiness check camel-health finds.
        bound.put("metricsRegistry", registry);
        bound.put("configReadiness", readiness);
        // The routes' beans (routes/*.camel.yaml).
        bound.put("schedule", schedule);
        bound.put("leases", leases);
        bound.put("stream", new StreamStage(polls, ports.shardCounter(), metrics, ports.clock(), options.dryRun()));
        bound.put("policy", new PolicyStage(store, ports.kube().scaleTarget(), ports.kube().sidecarGuard(),
                ports.clock()));
        bound.put("scale", new ScaleStage(ports.kube().scaleTarget(), ports.kube().holdsLease(), metrics));
        bound.put("metrics", new MetricsSink(metrics));
        bound.put("events", events);
        bound.put("failures", new FailureSink(metrics, events));
    }

    void bindInto(Main main) {
        bound.forEach(main::bind);
    }

    /** The ScaledObjects this agent leads now. */
    List<ScaledObjectConfig> led() {
        return polls.store().all().stream().map(ScaledObjectStore.Entry::config).filter(leases::leads).toList();
    }

    /** Says once when the ScaledObjects this agent leads ask more AWS calls than a budget allows. */
    void checkBudget() {
        budget.check(BudgetWarnings.demand(led(), ports.shardCounter(), polls.store()::expectedCalls));
    }

    /** Seconds since the last complete reading (since loading, before the first); NaN while another agent leads. */
    private double readingAge(String id) {
        return polls.store().get(id).filter(e -> leases.leads(e.config())).map(e -> {
            Instant since = e.lastReading() != null ? e.lastReading() : e.loadedAt();
            return Duration.between(since, ports.clock().instant()).toMillis() / 1000.0;
        }).orElse(Double.NaN);
    }

    /** What a trigger reload changes outside the schedule: the gauges, the metrics, the AWS clients. */
    private final class TriggerEvents implements TriggerReconciler.Listener {
        @Override
        public void loaded(ScaledObjectConfig config) {
            var tags = ScalerMetrics.scaledObjectTags(config.namespace(), config.name());
            // Every error counter at 0 from the start, so that increase() alerts have a series to begin from.
            metrics.registerScaledObjectErrorCounters(tags, config.triggers().stream()
                    .map(t -> ScalerMetrics.triggerTags(config.namespace(), config.name(), t.index(), t.metricName()))
                    .toList(), config.scaling().fallback() != null);
            metrics.registerLeader(tags, () -> leases.leads(config));
            metrics.registerSchedule(tags, () -> readingAge(config.id()), config.pollingIntervalSeconds());
        }

        @Override
        public void removed(ScaledObjectConfig config) {
            metrics.removeScaledObject(config.namespace(), config.name());
        }

        @Override
        public void invalid() {
            metrics.recordConfigError("triggers");
        }

        @Override
        public void running(Collection<ScaledObjectConfig> running, List<FailedToLoad> failedToLoad) {
            metrics.recordScaledObjects(running.size());
            metrics.recordInvalidObjects(failedToLoad.size());
            // Clients of rotated keys and removed ScaledObjects are closed (kedacore/keda#7756 leaked them).
            ports.shardCounter().retainOnly(running.stream().flatMap(c -> c.triggers().stream()).toList());
        }
    }
}
