package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ManagementServer;
import io.ddbstreamscaler.schedule.PollSchedule;
import io.ddbstreamscaler.schedule.ScaledObjectStore;
import io.ddbstreamscaler.trigger.FailedToLoad;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's lifecycle: camel-main with the beans of {@link AgentBeans} bound and the routes loaded from their folder,
 * and a watcher that reloads routes and trigger files live. What a poll does is the routes' and the stages'.
 */
public final class ScalerAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.agent");

    /** A route reload waits this long at most for the polls in flight to end before it swaps anyway. */
    static final Duration RELOAD_DRAIN = Duration.ofMinutes(1);

    /** The trigger files are looked at this often: there may be thousands, and a look reads them all. */
    static final Duration TRIGGER_CHECK = Duration.ofSeconds(2);

    private final AgentOptions options;
    private final AgentPorts ports;
    private final AgentBeans beans;
    private final RouteFolder routeFolder;
    private final AtomicBoolean warmedUp = new AtomicBoolean();

    private Main main;
    private ManagementServer management;
    private ScheduledExecutorService watcher;
    /** The route files as loaded (or refused), and as last seen. */
    private String routesFingerprint = "";
    private String routesSeen = "";
    private String triggersFingerprint = "";
    private long ticks;

    public ScalerAgent(AgentOptions options, AgentPorts ports) {
        this.options = options;
        this.ports = ports;
        this.beans = new AgentBeans(options, ports, this::warmUp);
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
        main.addOverrideProperty(RouteContract.LEASE_PASS_PERIOD,
                Long.toString(options.election().passPeriod().toMillis()));
        beans.bindInto(main);
        // Load routes and ScaledObjects before the context starts, so that Camel starts the routes once.
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport started) {
                try {
                    reloadRoutes(started.getCamelContext(), true, false);
                    reloadTriggers();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        });
        if (!options.leaderElection()) {
            // A standby creates no AWS client and loads none of the SDK until it leads (LeaseStage warms up then).
            warmUp();
        }
        // The port is bound before Camel starts: a taken port stops the agent before its first poll reads or writes.
        ManagementServer.Bound port = options.managementPort() >= 0 ? ManagementServer.bind(managementPort()) : null;
        try {
            main.start();
        } catch (Exception | Error e) {
            if (port != null) {
                port.release();
            }
            throw e;
        }
        if (port != null) {
            management = port.serve(beans.registry, main.getCamelContext(), this::statusJson);
        }
        beans.readiness.loaded();
        if (!options.once()) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "config-watch");
                t.setDaemon(true);
                return t;
            });
            long period = options.watchPeriod().toMillis();
            watcher.scheduleWithFixedDelay(this::watch, period, period, TimeUnit.MILLISECONDS);
        }
        List<FailedToLoad> failed = beans.triggers.failedToLoad();
        LOG.info("agent started: {} ScaledObject(s){}, routes from {}, {}{}{}", beans.triggers.size(),
                failed.isEmpty() ? "" : ", " + failed.size() + " object(s) did not load (ERROR lines above;"
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
            Thread warmUp = new Thread(ports.shardCounter()::warmUp, "aws-sdk-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }

    /** The registry of every series the agent serves (the gRPC server adds its own). */
    public PrometheusMeterRegistry registry() {
        return beans.registry;
    }

    /** The management server's base URL, e.g. http://localhost:9876. */
    public String managementUrl() {
        return "http://localhost:" + (management != null ? management.port() : options.managementPort());
    }

    /** For {@code --once}: waits until every ScaledObject has polled once; true when none failed. */
    public boolean awaitOnePoll(Duration timeout) throws InterruptedException {
        return beans.polls.commit().awaitEveryPolledOnce(timeout);
    }

    /** The {@code /observe/status} document. */
    String statusJson() {
        return StatusReport.json(beans.polls.store(), beans.leases::leads, options, beans.triggers.failedToLoad());
    }

    /** The ScaledObjects that run. */
    public int scaledObjects() {
        return beans.triggers.size();
    }

    /** The objects of the trigger files that did not load at the last load (empty when all did). */
    public List<FailedToLoad> failedToLoad() {
        return beans.triggers.failedToLoad();
    }

    // What the tests of this package look at.

    CamelContext camelContext() {
        return main.getCamelContext();
    }

    ScaledObjectStore store() {
        return beans.polls.store();
    }

    PollSchedule schedule() {
        return beans.polls.schedule();
    }

    /** Whether this agent polls the ScaledObject now. */
    boolean leads(String id) {
        return store().get(id).map(e -> beans.leases.leads(e.config())).orElse(false);
    }

    /**
     * The watcher's look, every watch period: the route files, loaded once they have stood still for one period (an
     * editor or a copy may be half way through a file); the trigger files every {@link #TRIGGER_CHECK}.
     */
    private synchronized void watch() {
        long triggerEvery = Math.max(1, TRIGGER_CHECK.toMillis() / Math.max(1, options.watchPeriod().toMillis()));
        check(true, ++ticks % triggerEvery == 0);
    }

    /** One look at both folders, loading what changed at once (the tests of this package drive it by hand). */
    synchronized void checkForChanges() {
        check(false, true);
    }

    private void check(boolean settle, boolean triggers) {
        try {
            reloadRoutes(camelContext(), false, settle);
            if (triggers) {
                reloadTriggers();
                beans.checkBudget();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("configuration watch failed: {}", FailureSink.describe(e));
        }
    }

    /**
     * Loads the routes when their files changed. After the start, between polls: the schedule starts no new poll, the
     * polls in flight end on the old routes (each within its own timeouts), then the old routes stop at once (nothing
     * is in flight for Camel to wait for) and the new ones start; the polls that fell due meanwhile start on them. No
     * poll is cut short. An edit that does not load changes nothing.
     */
    private void reloadRoutes(CamelContext context, boolean first, boolean settle) throws Exception {
        String fingerprint = FolderFingerprint.of(List.of(options.routesFolder()));
        boolean settled = fingerprint.equals(routesSeen);
        routesSeen = fingerprint;
        if (fingerprint.equals(routesFingerprint) || (settle && !settled)) {
            return;
        }
        PollSchedule schedule = beans.polls.schedule();
        if (!first) {
            schedule.hold();
        }
        try {
            int inFlight = schedule.running();
            List<Resource> resources;
            try {
                resources = routeFolder.read();
                RouteFolder.validate(resources, context.getRegistry(), options.election());
            } catch (Exception e) {
                routesFingerprint = fingerprint;
                beans.metrics.recordConfigError("routes");
                if (first) {
                    throw new IllegalArgumentException("routes in " + options.routesFolder() + " do not load: " + e.getMessage(), e);
                }
                LOG.error("route files in {} do not load, the last good routes keep running: {}", options.routesFolder(), e.getMessage());
                return;
            }
            if (!first && !schedule.awaitNoPollRunning(RELOAD_DRAIN)) {
                LOG.warn("route reload: polls still running after {}s; swapping the routes anyway", RELOAD_DRAIN.toSeconds());
            }
            RouteFolder.swapIn(context, resources);
            routesFingerprint = fingerprint;
            if (!first) {
                LOG.info("routes reloaded from {}: {} route(s) running (after {} poll(s) in flight ended)",
                        options.routesFolder(), context.getRoutes().size(), inFlight);
            }
        } finally {
            if (!first) {
                schedule.release();
            }
        }
    }

    private void reloadTriggers() {
        String fingerprint = FolderFingerprint.of(options.configPaths());
        boolean filesChanged = !fingerprint.equals(triggersFingerprint);
        if (!filesChanged && !beans.triggers.secretsDue()) {
            return;
        }
        triggersFingerprint = fingerprint;
        beans.triggers.reconcile(filesChanged);
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            try {
                // A reload in progress ends (its wait for polls is interrupted) before Camel stops under it.
                watcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
        ports.leadership().releaseAll();
        ports.shardCounter().close();
    }
}
