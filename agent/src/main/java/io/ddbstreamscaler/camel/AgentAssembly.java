package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.Leadership;
import io.ddbstreamscaler.election.LeaseHolder;
import io.ddbstreamscaler.election.LeaseSpread;
import io.ddbstreamscaler.scale.ClusterSecretSource;
import io.ddbstreamscaler.scale.Fabric8ScaleTarget;
import io.ddbstreamscaler.scale.KubeClients;
import io.ddbstreamscaler.scale.PodOwnership;
import io.ddbstreamscaler.scale.ScaleEvents;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Puts the real adapters together: the AWS probe, the fabric8 client, the scale port, secrets, guard and election. */
public final class AgentAssembly {

    private AgentAssembly() {
    }

    public static ScalerAgent create(AgentOptions options, Path kubeconfig, ProbeOptions probeOptions, Clock clock) {
        return create(options, kubeconfig, new AwsShardCounter(probeOptions), clock);
    }

    public static ScalerAgent create(AgentOptions options, Path kubeconfig, ShardCounter shardCounter, Clock clock) {
        return new ScalerAgent(options, ports(options, kubeconfig, shardCounter, clock));
    }

    /** The real ports: one fabric8 client for the polls, another for the Lease passes. */
    public static AgentPorts ports(AgentOptions options, Path kubeconfig, ShardCounter shardCounter, Clock clock) {
        KubernetesClient client = KubeClients.create(kubeconfig);
        AgentPorts.Kube kube = new AgentPorts.Kube(new Fabric8ScaleTarget(client), new ClusterSecretSource(client),
                sidecarGuard(client, options), leaseCheck(client, options), events(client, options, clock));
        return new AgentPorts(shardCounter, kube, leadership(kubeconfig, options, clock), clock);
    }

    /** Kubernetes Events on the scale targets, reported by this pod (or host), repeats aggregated. */
    static EventsSink.Recorder events(KubernetesClient client, AgentOptions options, Clock clock) {
        String instance = options.podName() != null ? options.podName() : hostName();
        ScaleEvents events = new ScaleEvents(client, instance, clock);
        return (namespace, target, warning, reason, message) -> events.record(namespace, target,
                warning ? ScaleEvents.Type.WARNING : ScaleEvents.Type.NORMAL, reason, message);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "ddbstream-scaler";
        }
    }

    /** Spread Leases with election; this agent leads everything without. */
    static Leadership leadership(Path kubeconfig, AgentOptions options, Clock clock) {
        if (!options.leaderElection()) {
            return Leadership.everything();
        }
        // A client of its own for the Lease passes, so that they never queue behind the poll threads' requests.
        return new LeaseSpread(KubeClients.create(kubeconfig), options.podNamespace(), options.podName(),
                LeaseSpread.CANDIDATE_LABELS, options.election().leaseDuration(), clock);
    }

    /** With leader election, a write first asks the API server who holds the Lease now (see LeaseHolder). */
    static Predicate<ScaledObjectConfig> leaseCheck(KubernetesClient client, AgentOptions options) {
        if (!options.leaderElection()) {
            return config -> true;
        }
        LeaseHolder holder = new LeaseHolder(client, options.podNamespace(), options.podName());
        return config -> holder.holdsScaledObject(config.namespace(), config.name());
    }

    /** Asks the API server once per ScaledObject target whether this agent's pod belongs to it. */
    static Predicate<ScaledObjectConfig> sidecarGuard(KubernetesClient client, AgentOptions options) {
        if (options.podName() == null) {
            return config -> false;
        }
        PodOwnership ownership = new PodOwnership(client, options.podName(), options.podNamespace());
        Map<String, Boolean> answers = new ConcurrentHashMap<>();
        return config -> answers.computeIfAbsent(config.namespace() + "/" + config.scaleTarget(),
                k -> ownership.ownedBy(config.namespace(), config.scaleTarget()));
    }
}
