package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.Leadership;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;

import java.time.Clock;
import java.util.function.Predicate;

/**
 * What the agent talks to the outside through: AWS (the shard counter), Kubernetes ({@link Kube}), leader election, the
 * clock. {@link AgentAssembly} puts the real adapters together; a bench or a test swaps one with a {@code with...}.
 */
public record AgentPorts(ShardCounter shardCounter, Kube kube, Leadership leadership, Clock clock) {

    /**
     * What a poll asks of Kubernetes.
     *
     * @param scaleTarget    the target's {@code /scale}: current replicas, and the one write path
     * @param clusterSecrets Secrets the trigger files do not hold
     * @param sidecarGuard   true for a ScaledObject whose target owns this agent's own pod: the policy never goes below 1
     * @param holdsLease     asked only when a write is due (always true without leader election): whether this agent
     *                       still holds the ScaledObject's Lease at the API server
     * @param events         Kubernetes Events on the scale targets ({@link EventsSink.Recorder#NONE} for none)
     */
    public record Kube(ScaleTarget scaleTarget, SecretSource clusterSecrets, Predicate<ScaledObjectConfig> sidecarGuard,
                       Predicate<ScaledObjectConfig> holdsLease, EventsSink.Recorder events) {

        public Kube withScaleTarget(ScaleTarget target) {
            return new Kube(target, clusterSecrets, sidecarGuard, holdsLease, events);
        }
    }

    public AgentPorts withKube(Kube newKube) {
        return new AgentPorts(shardCounter, newKube, leadership, clock);
    }

    public AgentPorts withLeadership(Leadership newLeadership) {
        return new AgentPorts(shardCounter, kube, newLeadership, clock);
    }
}
