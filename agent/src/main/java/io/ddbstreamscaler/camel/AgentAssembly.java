package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.scale.ClusterSecretSource;
import io.ddbstreamscaler.scale.Fabric8ScaleTarget;
import io.ddbstreamscaler.scale.KubeClients;
import io.ddbstreamscaler.election.Leadership;
import io.ddbstreamscaler.election.LeaseSpread;
import io.ddbstreamscaler.scale.ScaleEvents;
import io.ddbstreamscaler.scale.PodOwnership;
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
        KubernetesClient client = KubeClients.create(kubeconfig);
        return new ScalerAgent(options, shardCounter, client, new Fabric8ScaleTarget(client),
                new ClusterSecretSource(client), sidecarGuard(client, options), leadership(kubeconfig, options, clock),
                events(client, options, clock), clock);
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
                LeaseSpread.CANDIDATE_LABELS, options.leaseDuration(), clock);
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
