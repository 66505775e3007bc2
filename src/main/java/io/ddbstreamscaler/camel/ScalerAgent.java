package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ManagementServer;
import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.LeaseHolder;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ConfigError;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.spi.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The agent: camel-main with the stage beans bound, the routes loaded from their folder, one scale-loop route per
 * ScaledObject, and a watcher that reloads routes and trigger files live. Java here is wiring; the loop itself is the
 * YAML in routes/.
 */
public final class ScalerAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.agent");

    private final AgentOptions options;
    private final ShardCounter shardCounter;
    private final KubernetesClient kubernetesClient;
    private final ScaleTarget scaleTarget;
    private final SecretSource clusterSecrets;
    private final Predicate<ScaledObjectConfig> sidecarGuard;
    private final Object clusterService;
    private final Clock clock;

    private final ScaledObjectStore store = new ScaledObjectStore();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScalerMetrics metrics = new ScalerMetrics(registry);
    private final RouteFolder routeFolder;
    /** The ScaledObjects whose route runs, by id, as last loaded: the last good configuration. */
    private final Map<String, ScaledObjectConfig> running = new HashMap<>();
    private final ConfigReadiness readiness = new ConfigReadiness();

    private Main main;
    private ManagementServer management;
    private ScheduledExecutorService watcher;
    private String routesFingerprint = "";
    private String triggersFingerprint = "";

    /**
     * @param clusterService a configured camel-kubernetes KubernetesClusterService (leader election on), or null
     */
    public ScalerAgent(AgentOptions options, ShardCounter shardCounter, KubernetesClient kubernetesClient,
                       ScaleTarget scaleTarget, SecretSource clusterSecrets, Predicate<ScaledObjectConfig> sidecarGuard,
                       Object clusterService, Clock clock) {
        this.options = options;
        this.shardCounter = shardCounter;
        this.kubernetesClient = kubernetesClient;
        this.scaleTarget = scaleTarget;
        this.clusterSecrets = clusterSecrets;
        this.sidecarGuard = sidecarGuard;
        this.clusterService = clusterService;
        this.clock = clock;
        this.routeFolder = new RouteFolder(options.routesFolder());
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
        main.bind("stream", new StreamStage(store, shardCounter, options.dryRun()));
        main.bind("policy", new PolicyStage(store, scaleTarget, clock, sidecarGuard, leaseCheck()));
        main.bind("scale", new ScaleStage(scaleTarget, metrics));
        main.bind("metrics", new MetricsSink(metrics, store, clock));
        main.bind("failures", new FailureSink(metrics, store, clock));
        main.bind("configReadiness", readiness);
        if (clusterService != null) {
            main.bind("clusterService", clusterService);
        }
        // Load routes and ScaledObjects before the context starts, so that Camel creates and starts every route in one
        // pass: once routes run, each added route costs a scan of all the others (AbstractCamelContext.removeRoute,
        // which DefaultModel.addRouteDefinitions calls first), which made 1,000 ScaledObjects take a minute.
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport started) {
                try {
                    reloadRoutes(started.getCamelContext(), true);
                    reloadTriggers(started.getCamelContext());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        });
        Thread warmUp = new Thread(shardCounter::warmUp, "aws-sdk-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        main.start();
        if (options.managementPort() >= 0) {
            int port = main.getCamelContext().getPropertiesComponent().resolveProperty("camel.management.port")
                    .map(Integer::parseInt).orElse(options.managementPort());
            management = ManagementServer.start(port, registry, main.getCamelContext(),
                    () -> "{\"scaledObjects\":" + store.all().size() + "}");
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
        LOG.info("agent started: {} ScaledObject(s), routes from {}, {}{}{}", running.size(), options.routesFolder().toAbsolutePath(),
                options.leaderElection() ? "leader election on (Lease per ScaledObject in " + options.podNamespace() + ")" : "leader election off",
                options.dryRun() ? ", dry run (no writes)" : "",
                options.managementPort() >= 0 ? ", metrics on " + managementUrl() + "/observe/metrics" : "");
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
            CamelContext context = camelContext();
            reloadRoutes(context, false);
            reloadTriggers(context);
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
        // Routes made from the template went with the old template: make them again from the new one.
        for (ScaledObjectConfig config : running.values()) {
            addScaleLoop(context, config);
        }
        if (!first) {
            LOG.info("routes reloaded from {}: {} route(s) running", options.routesFolder(), context.getRoutes().size());
        }
    }

    private void reloadTriggers(CamelContext context) throws Exception {
        String fingerprint = FolderFingerprint.of(options.configPaths());
        if (fingerprint.equals(triggersFingerprint)) {
            return;
        }
        triggersFingerprint = fingerprint;
        LoadResult result = new TriggerConfigLoader(clusterSecrets).load(options.configPaths());
        result.warnings().forEach(w -> LOG.warn("{}", w));
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
                removeScaleLoop(context, old);
                running.remove(id);
                store.remove(id);
                metrics.removeScaledObject(old.namespace(), old.name());
                LOG.info("ScaledObject {} removed from the trigger files: its route is stopped", id);
            } else if (!loaded.containsKey(id)) {
                LOG.warn("ScaledObject {}: its new version does not load, the last good configuration keeps running", id);
            }
        }
        for (ScaledObjectConfig config : loaded.values()) {
            ScaledObjectConfig old = running.get(config.id());
            if (config.equals(old)) {
                continue;
            }
            store.put(config);
            running.put(config.id(), config);
            addScaleLoop(context, config);
            LOG.info("ScaledObject {} {}: {} trigger(s) on {}/{}, polling every {}s", config.id(),
                    old == null ? "loaded" : "reloaded", config.triggers().size(), config.scaleTarget().kind(),
                    config.scaleTarget().name(), config.pollingIntervalSeconds());
        }
        metrics.recordScaledObjects(running.size());
    }

    static String routeId(ScaledObjectConfig config) {
        return "scale-loop-" + config.namespace() + "-" + config.name();
    }

    /** The Lease group of a ScaledObject: camel-kubernetes names its Lease "leaders-" + group (a DNS-1123 name). */
    static String leaseGroup(ScaledObjectConfig config) {
        String raw = ("ddbstream-scaler-" + config.namespace() + "-" + config.name()).toLowerCase();
        String clean = raw.replaceAll("[^a-z0-9-]", "-");
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }

    private String source(ScaledObjectConfig config) {
        String timerName = routeId(config).replaceAll("[^A-Za-z0-9-]", "-");
        String timer = "timer:" + timerName + "?delay=10&fixedRate=true&period=" + config.pollingIntervalSeconds() * 1000L
                + (options.once() ? "&repeatCount=1" : "");
        return options.leaderElection() && clusterService != null ? "master:" + leaseGroup(config) + ":" + timer : timer;
    }

    private void addScaleLoop(CamelContext context, ScaledObjectConfig config) throws Exception {
        removeScaleLoop(context, config);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        model.addRouteFromTemplate(routeId(config), RouteFolder.TEMPLATE_ID,
                Map.of("scaledObject", config.id(), "source", source(config)));
        metrics.registerLeader(ScalerMetrics.scaledObjectTags(config.namespace(), config.name()),
                () -> isLeader(context, config));
    }

    /** With leader election, a write first asks the API server who holds the Lease now (see LeaseHolder). */
    private Predicate<ScaledObjectConfig> leaseCheck() {
        if (!options.leaderElection() || clusterService == null) {
            return config -> true;
        }
        LeaseHolder leases = new LeaseHolder(kubernetesClient, options.podNamespace(), options.podName());
        return config -> leases.heldByMe(leaseGroup(config));
    }

    /** Whether this agent polls the ScaledObject: always without election, else when it holds the Lease. */
    private boolean isLeader(CamelContext context, ScaledObjectConfig config) {
        if (!(options.leaderElection() && clusterService instanceof CamelClusterService cluster)) {
            return true;
        }
        try {
            return cluster.getView(leaseGroup(config)).getLocalMember().isLeader();
        } catch (Exception e) {
            return false;
        }
    }

    private void removeScaleLoop(CamelContext context, ScaledObjectConfig config) throws Exception {
        String id = routeId(config);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        var definition = model.getRouteDefinition(id);
        if (definition != null) {
            model.removeRouteDefinition(definition);
        }
        if (context.getRoute(id) != null) {
            context.getRouteController().stopRoute(id);
            context.removeRoute(id);
        }
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
        shardCounter.close();
    }
}
