package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.ElectionTiming;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the agent runs. Built by the {@code run} and {@code demo} commands from their options and the environment.
 *
 * @param configPaths      trigger files or folders (ScaledObject, TriggerAuthentication, Secret YAML)
 * @param routesFolder     the YAML DSL routes, loaded at run time
 * @param once             one poll of every ScaledObject, then stop
 * @param dryRun           decide and log, never write to Kubernetes
 * @param leaderElection   elect one poller per ScaledObject with a Lease (needs podName/podNamespace)
 * @param podName          this agent's pod (Downward API), null outside a cluster
 * @param podNamespace     the pod's namespace, where the Leases live
 * @param managementPort   port of the management server (metrics, health, status); 0 picks a free port, -1 none
 * @param watchPeriod      how often the route files are looked at (the trigger files at most every 2 s)
 * @param leaseDuration    how long a Lease holds before another agent may take it; the Lease pass period follows from
 *                         it ({@link ElectionTiming})
 * @param strict           {@code --strict}: a warning about an object of the trigger files keeps that object from loading
 */
public record AgentOptions(List<Path> configPaths, Path routesFolder, boolean once, boolean dryRun,
                           boolean leaderElection, String podName, String podNamespace, int managementPort,
                           Duration watchPeriod, Duration leaseDuration, boolean strict) {

    public AgentOptions {
        configPaths = List.copyOf(configPaths);
        ElectionTiming.forLease(leaseDuration); // refuses a lease too short to pass within
    }

    /** Both periods of leader election. */
    public ElectionTiming election() {
        return ElectionTiming.forLease(leaseDuration);
    }

    /** Without {@code --strict}. */
    public AgentOptions(List<Path> configPaths, Path routesFolder, boolean once, boolean dryRun, boolean leaderElection,
                        String podName, String podNamespace, int managementPort, Duration watchPeriod,
                        Duration leaseDuration) {
        this(configPaths, routesFolder, once, dryRun, leaderElection, podName, podNamespace, managementPort, watchPeriod,
                leaseDuration, false);
    }
}
