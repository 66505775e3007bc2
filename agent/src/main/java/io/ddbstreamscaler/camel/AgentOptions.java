package io.ddbstreamscaler.camel;

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
 * @param managementPort   port of camel-main's management server (metrics, health); 0 picks a free port, -1 none
 * @param watchPeriod      how often the route and trigger files are checked for changes
 * @param leaseDuration    how long a Lease holds before another agent may take it
 * @param strict           {@code --strict}: a warning about an object of the trigger files keeps that object from loading
 */
public record AgentOptions(List<Path> configPaths, Path routesFolder, boolean once, boolean dryRun,
                           boolean leaderElection, String podName, String podNamespace, int managementPort,
                           Duration watchPeriod, Duration leaseDuration, boolean strict) {

    public AgentOptions {
        configPaths = List.copyOf(configPaths);
    }

    /** Without {@code --strict}. */
    public AgentOptions(List<Path> configPaths, Path routesFolder, boolean once, boolean dryRun, boolean leaderElection,
                        String podName, String podNamespace, int managementPort, Duration watchPeriod,
                        Duration leaseDuration) {
        this(configPaths, routesFolder, once, dryRun, leaderElection, podName, podNamespace, managementPort, watchPeriod,
                leaseDuration, false);
    }
}
