package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.BudgetWarnings;
import io.ddbstreamscaler.schedule.PollSchedule;
import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.observe.ManagementServer;
import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.election.Leadership;
import io.ddbstreamscaler.election.LeaseHolder;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ConfigError;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfig;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The agent: camel-main with the stage beans bound and the routes loaded from their folder, one schedule for every
 * ScaledObject ({@link PollSchedule}), leader election by spread Leases, and a watcher that reloads routes and trigger
 * files live. Java here is wiring; the loop itself is the YAML in routes/.
 */
public final class ScalerAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.agent");

    /** Cluster Secrets are read again this often, so that rotated keys take effect without a file change. */
    static final Duration SECRET_REFRESH = Duration.ofMinutes(1);

    private final AgentOptions options;
    private final ShardCounter shardCounter;
    private final KubernetesClient kubernetesClient;
    private final ScaleTarget scaleTarget;
    private final SecretSource clusterSecrets;
    private final Predicate<ScaledObjectConfig> sidecarGuard;
    private final Leadership leadership;
    private final EventsSink.Recorder eventRecorder;
    private final Clock clock;

    private final ScaledObjectStore store = new ScaledObjectStore();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScalerMetrics metrics = new ScalerMetrics(registry);
    private final RouteFolder routeFolder;
    /** The ScaledObjects that run, by id, as last loaded: the last good configuration. */
    private final Map<String, ScaledObjectConfig> running = new HashMap<>();
    private final ConfigReadiness readiness = new ConfigReadiness();
    private final PollSchedule schedule;
    private final LeaseStage leases;
    private final BudgetWarnings budgetWarnings;
    private final AtomicBoolean warmedUp = new AtomicBoolean();

    private Main main;
    private ManagementServer management;
    private ScheduledExecutorService watcher;
    private String routesFingerprint = "";
    private String triggersFingerprint = "";
    /** The objects of the trigger files that did not load at the last load, with their errors. */
    private volatile List<FailedToLoad> failedToLoad = List.of();
    private Instant triggersLoadedAt = Instant.EPOCH;
    private boolean secretsFromCluster;

    /**
     * @param leadership    which ScaledObjects this agent polls: {@link Leadership#everything()} without election
     * @param eventRecorder Kubernetes Events on the scale targets ({@link EventsSink.Recorder#NONE} for none)
     */
    public ScalerAgent(AgentOptions options, ShardCounter shardCounter, KubernetesClient kubernetesClient,
                       ScaleTarget scaleTarget, SecretSource clusterSecrets, Predicate<ScaledObjectConfig> sidecarGuard,
                       Leadership leadership, EventsSink.Recorder eventRecorder, Clock clock) {
        this.options = options;
        this.shardCounter = shardCounter;
        this.kubernetesClient = kubernetesClient;
        this.scaleTarget = scaleTarget;
        this.clusterSecrets = clusterSecrets;
        this.sidecarGuard = sidecarGuard;
        this.leadership = leadership;
        this.eventRecorder = eventRecorder;
        this.clock = clock;
        this.routeFolder = new RouteFolder(options.routesFolder());
        this.schedule = new PollSchedule(clock, shardCounter, config -> leadership.leads(LeaseStage.group(config)),
                (config, trigger) -> StreamStage.expectedCalls(store, config, trigger), options.once());
        this.leases = new LeaseStage(leadership, schedule, store, this::warmUp);
        this.budgetWarnings = new BudgetWarnings(shardCounter.budgetPerSecond());
    }

    public void start() throws Exception {
        main = new Main();
        // Override: the command's options win over application.properties.
        // camel-main's own management server (Vert.x) stays off: ManagementServer serves the port, after main.start().
        // The port is still the camel.management.port property (a -D system property wins, as Camel K's overlay uses).
        main.addOverrideProperty("camel.management.enabled", "false");
        if (options.managementPort() >= 0) {
            main.addOverrideProperty("camel.management.port", Integer.toString(options.managementPort()));
        }
        main.bind("metricsRegistry", registry);
        main.bind("kubernetesClient", kubernetesClient);
        main.bind("schedule", schedule);
        main.bind("leases", leases);
        main.bind("stream", new StreamStage(store, shardCounter, schedule, metrics, clock, options.dryRun()));
        main.bind("policy", new PolicyStage(store, scaleTarget, clock, sidecarGuard, leaseCheck()));
        main.bind("scale", new ScaleStage(scaleTarget, metrics, store));
        main.bind("metrics", new MetricsSink(metrics, store, clock));
        EventsSink events = new EventsSink(eventRecorder, store, options.dryRun());
        main.bind("events", events);
        main.bind("failures", new FailureSink(metrics, store, clock, events));
        main.bind("configReadiness", readiness);
        metrics.registerLeasesHeld(leadership::held);
        metrics.registerAgentErrorCounters();
        // Load routes and ScaledObjects before the context starts, so that Camel starts the routes once.
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport started) {
                try {
                    reloadRoutes(started.getCamelContext(), true);
                    reloadTriggers();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        });
        // The port is bound before Camel starts: a taken port stops the agent before its first poll reads or writes.
        ManagementServer.Bound port = options.managementPort() >= 0 ? ManagementServer.bind(managementPort()) : null;
        if (!options.leaderElection()) {
            // A standby creates no AWS client and loads none of the SDK until it leads (LeaseStage warms up then).
            warmUp();
        }
        try {
            main.start();
        } catch (Exception | Error e) {
            if (port != null) {
                port.release();
            }
            throw e;
        }
        if (port != null) {
            management = port.serve(registry, main.getCamelContext(), this::statusJson);
        }
        readiness.loaded();
        if (!options.once()) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "config-watch");
                t.setDaemon(true);
                return t;
            });
            long period = options.watchPeriod().toMillis();
            watcher.scheduleWithFixedDelay(this::checkForChanges, period, period, TimeUnit.MILLISECONDS);
        }
        LOG.info("agent started: {} ScaledObject(s){}, routes from {}, {}{}{}", running.size(),
                failedToLoad.isEmpty() ? "" : ", " + failedToLoad.size() + " object(s) did not load (ERROR lines above;"
                        + " /observe/status)",
                options.routesFolder().toAbsolutePath(),
                options.leaderElection() ? "leader election on (Leases spread over the agents in " + options.podNamespace() + ")" : "leader election off",
                options.dryRun() ? ", dry run (no writes)" : "",
                options.managementPort() >= 0 ? ", metrics on " + managementUrl() + "/observe/metrics" : "");
    }

    /** The camel.management.port property: a -D system property wins over the option (Camel K's overlay sets one). */
    private int managementPort() {
        String property = System.getProperty("camel.management.port");
        if (property != null && property.trim().matches("\\d+")) {
            return Integer.parseInt(property.trim());
        }
        return options.managementPort();
    }

    /** Loads the AWS SDK's classes on a spare thread, once: off the first poll's path. */
    private void warmUp() {
        if (warmedUp.compareAndSet(false, true)) {
            Thread warmUp = new Thread(shardCounter::warmUp, "aws-sdk-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public ScaledObjectStore store() {
        return store;
    }

    public ScalerMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public PollSchedule schedule() {
        return schedule;
    }

    /** Whether this agent polls the ScaledObject now. */
    public boolean leads(String id) {
        return store.get(id).map(e -> leases.leads(e.config())).orElse(false);
    }

    /** The {@code /observe/status} document. */
    public String statusJson() {
        return StatusReport.json(store, leases::leads, options, failedToLoad);
    }

    /** The objects of the trigger files that did not load at the last load (empty when all did). */
    public List<FailedToLoad> failedToLoad() {
        return failedToLoad;
    }

    /** The management server's base URL, e.g. http://localhost:9876. */
    public String managementUrl() {
        return "http://localhost:" + (management != null ? management.port() : options.managementPort());
    }

    /** For {@code --once}: waits until every ScaledObject has polled once; true when none failed. */
    public boolean awaitOnePoll(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (store.all().stream().allMatch(e -> e.polls() > 0)) {
                return store.all().stream().noneMatch(ScaledObjectStore.Entry::lastPollFailed);
            }
            Thread.sleep(50);
        }
        LOG.error("not every ScaledObject polled within {}s", timeout.toSeconds());
        return false;
    }

    /** One check of both folders; public so that tests can drive it without waiting for the watcher. */
    public synchronized void checkForChanges() {
        try {
            reloadRoutes(camelContext(), false);
            reloadTriggers();
            budgetWarnings.check(demand());
        } catch (Exception e) {
            LOG.error("configuration watch failed: {}", FailureSink.describe(e));
        }
    }

    private void reloadRoutes(CamelContext context, boolean first) throws Exception {
        String fingerprint = FolderFingerprint.of(List.of(options.routesFolder()));
        if (fingerprint.equals(routesFingerprint)) {
            return;
        }
        List<Resource> resources;
        try {
            resources = routeFolder.read();
            RouteFolder.validate(resources, context.getRegistry());
        } catch (Exception e) {
            routesFingerprint = fingerprint;
            metrics.recordConfigError("routes");
            if (first) {
                throw new IllegalArgumentException("routes in " + options.routesFolder() + " do not load: " + e.getMessage(), e);
            }
            LOG.error("route files in {} do not load, the last good routes keep running: {}", options.routesFolder(), e.getMessage());
            return;
        }
        RouteFolder.swapIn(context, resources);
        routesFingerprint = fingerprint;
        if (!first) {
            LOG.info("routes reloaded from {}: {} route(s) running", options.routesFolder(), context.getRoutes().size());
        }
    }

    private synchronized void reloadTriggers() {
        String fingerprint = FolderFingerprint.of(options.configPaths());
        boolean secretsDue = secretsFromCluster && !clock.instant().isBefore(triggersLoadedAt.plus(SECRET_REFRESH));
        if (fingerprint.equals(triggersFingerprint) && !secretsDue) {
            return;
        }
        boolean fileChange = !fingerprint.equals(triggersFingerprint);
        triggersFingerprint = fingerprint;
        triggersLoadedAt = clock.instant();
        AtomicBoolean askedCluster = new AtomicBoolean();
        SecretSource watched = clusterSecrets == SecretSource.none() ? clusterSecrets : (namespace, name) -> {
            askedCluster.set(true);
            return clusterSecrets.find(namespace, name);
        };
        LoadResult result = new TriggerConfigLoader(watched).strict(options.strict()).load(options.configPaths());
        secretsFromCluster = askedCluster.get();
        if (fileChange || !result.errors().isEmpty()) {
            result.warnings().forEach(w -> LOG.warn("{}", w));
        }
        if (fileChange) {
            result.skipped().forEach(s -> LOG.info("{}", s));
        }
        for (ConfigError error : result.errors()) {
            LOG.error("{}", error.format());
        }
        if (!result.errors().isEmpty()) {
            metrics.recordConfigError("triggers");
        }
        Map<String, ScaledObjectConfig> loaded = result.scaledObjects().stream()
                .collect(Collectors.toMap(ScaledObjectConfig::id, c -> c, (a, b) -> a));
        // A file with errors keeps the last good version of what it held: a broken edit must not remove a ScaledObject.
        Set<Path> brokenFiles = result.errors().stream().map(ConfigError::file).collect(Collectors.toSet());
        Set<String> errorObjects = result.errors().stream().map(ConfigError::object).collect(Collectors.toSet());
        for (String id : new HashSet<>(running.keySet())) {
            ScaledObjectConfig old = running.get(id);
            boolean keep = brokenFiles.contains(old.sourceFile()) || errorObjects.contains("ScaledObject " + id);
            if (!loaded.containsKey(id) && !keep) {
                schedule.remove(id);
                running.remove(id);
                store.remove(id);
                metrics.removeScaledObject(old.namespace(), old.name());
                LOG.info("ScaledObject {} removed from the trigger files: it is no longer polled", id);
            } else if (!loaded.containsKey(id)) {
                LOG.warn("ScaledObject {}: its new version does not load, the last good configuration keeps running", id);
            }
        }
        List<ScaledObjectConfig> placed = new ArrayList<>();
        for (ScaledObjectConfig config : loaded.values()) {
            ScaledObjectConfig old = running.get(config.id());
            if (config.equals(old)) {
                continue;
            }
            store.put(config, clock.instant());
            running.put(config.id(), config);
            placed.add(config);
            registerGauges(config);
            LOG.info("ScaledObject {} {}: {} trigger(s) on {}/{}, polling every {}s", config.id(),
                    old == null ? "loaded" : old.triggers().equals(config.triggers()) || fileChange ? "reloaded"
                            : "reloaded (its Secret changed)",
                    config.triggers().size(), config.scaleTarget().kind(), config.scaleTarget().name(),
                    config.pollingIntervalSeconds());
        }
        schedule.place(placed);
        metrics.recordScaledObjects(running.size());
        failedToLoad = FailedToLoad.of(result.errors(), running.keySet());
        metrics.recordInvalidObjects(failedToLoad.size());
        // Clients of rotated keys and removed ScaledObjects are closed (kedacore/keda#7756 leaked them).
        shardCounter.retainOnly(running.values().stream().flatMap(c -> c.triggers().stream()).toList());
    }

    private void registerGauges(ScaledObjectConfig config) {
        var tags = ScalerMetrics.scaledObjectTags(config.namespace(), config.name());
        metrics.registerScaledObjectErrorCounters(tags, config.triggers().stream()
                .map(t -> ScalerMetrics.triggerTags(config.namespace(), config.name(), t.index(), t.metricName())).toList(),
                config.scaling().fallback() != null);
        metrics.registerLeader(tags, () -> leases.leads(config));
        String id = config.id();
        metrics.registerSchedule(tags, () -> readingAge(id), config.pollingIntervalSeconds());
    }

    /** Seconds since the last complete reading (since loading, before the first); NaN while another agent leads. */
    private double readingAge(String id) {
        return store.get(id).filter(e -> leases.leads(e.config())).map(e -> {
            Instant since = e.lastReading() != null ? e.lastReading() : e.loadedAt();
            return Duration.between(since, clock.instant()).toMillis() / 1000.0;
        }).orElse(Double.NaN);
    }

    /** AWS calls per second the ScaledObjects this agent leads ask of each budget key. */
    private Map<io.ddbstreamscaler.stream.AwsCallBudget.Key, BudgetWarnings.Demand> demand() {
        Map<io.ddbstreamscaler.stream.AwsCallBudget.Key, BudgetWarnings.Demand> demand = new HashMap<>();
        for (ScaledObjectStore.Entry e : store.all()) {
            if (!leases.leads(e.config())) {
                continue;
            }
            for (TriggerConfig t : e.config().triggers()) {
                int calls = StreamStage.expectedCalls(store, e.config(), t);
                demand.merge(io.ddbstreamscaler.stream.AwsShardCounter.budgetKey(t),
                        new BudgetWarnings.Demand((double) calls / Math.max(1, e.config().pollingIntervalSeconds()), calls, 1),
                        BudgetWarnings.Demand::plus);
            }
        }
        return demand;
    }

    /** The Lease group of a ScaledObject (see {@link LeaseStage#group}). */
    static String leaseGroup(ScaledObjectConfig config) {
        return LeaseStage.group(config);
    }

    /** With leader election, a write first asks the API server who holds the Lease now (see LeaseHolder). */
    private Predicate<ScaledObjectConfig> leaseCheck() {
        if (!options.leaderElection()) {
            return config -> true;
        }
        LeaseHolder holder = new LeaseHolder(kubernetesClient, options.podNamespace(), options.podName());
        return config -> holder.heldByMe(LeaseStage.group(config));
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        if (management != null) {
            management.close();
        }
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                LOG.warn("stopping Camel: {}", e.getMessage());
            }
        }
        // After the routes have stopped: no poll runs, so the others may take over at once.
        leadership.releaseAll();
        shardCounter.close();
    }
}
