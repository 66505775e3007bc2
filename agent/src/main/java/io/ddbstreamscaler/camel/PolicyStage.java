package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.policy.PolicyInput;
import io.ddbstreamscaler.policy.ReplicaPolicy;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.ScaledObjectStore;
import io.ddbstreamscaler.schedule.TriggerOutcome;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.util.function.Predicate;

/**
 * The policy stage of the scale loop: reads the current replicas from /scale and asks the replica policy. It reads the
 * policy's history from the store and writes nothing back: the poll's completion commits the decision.
 */
public final class PolicyStage {

    private final ScaledObjectStore store;
    private final ScaleTarget scaleTarget;
    private final Predicate<ScaledObjectConfig> sidecarGuard;
    private final Clock clock;

    /**
     * @param sidecarGuard true for a ScaledObject whose target owns this agent's own pod: scaling it to zero would
     *                     stop the agent that has to scale it up again, so the policy never goes below 1
     */
    public PolicyStage(ScaledObjectStore store, ScaleTarget scaleTarget, Predicate<ScaledObjectConfig> sidecarGuard,
                       Clock clock) {
        this.store = store;
        this.scaleTarget = scaleTarget;
        this.sidecarGuard = sidecarGuard;
        this.clock = clock;
    }

    public Poll decide(Poll poll, Exchange exchange) {
        ScaledObjectConfig config = poll.config();
        int current = scaleTarget.currentReplicas(config.namespace(), config.scaleTarget());
        PolicyInput input = new PolicyInput(poll.outcomes().stream().map(TriggerOutcome::toPolicyReading).toList(),
                current, config.scaling(), store.require(config.id()).history(), clock.instant(),
                sidecarGuard.test(config));
        ScaleDecision decision = ReplicaPolicy.decide(input);
        return PollCompletion.carry(exchange, poll.withDecision(decision));
    }
}
