package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.TriggerOutcome;

import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.policy.PolicyInput;
import io.ddbstreamscaler.policy.ReplicaPolicy;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.time.Clock;
import java.util.function.Predicate;

/** The policy stage of the scale loop: reads the current replicas from /scale and asks the replica policy. */
public final class PolicyStage {

    private final ScaledObjectStore store;
    private final ScaleTarget scaleTarget;
    private final Clock clock;
    private final Predicate<ScaledObjectConfig> sidecarGuard;
    private final Predicate<ScaledObjectConfig> holdsLease;

    /**
     * @param sidecarGuard true for a ScaledObject whose target owns this agent's own pod: scaling it to zero would
     *                     stop the agent that has to scale it up again, so the policy never goes below 1
     * @param holdsLease   asked only when a write is due (always true without leader election): whether this agent
     *                     still holds the ScaledObject's Lease at the API server
     */
    public PolicyStage(ScaledObjectStore store, ScaleTarget scaleTarget, Clock clock, Predicate<ScaledObjectConfig> sidecarGuard,
                       Predicate<ScaledObjectConfig> holdsLease) {
        this.store = store;
        this.scaleTarget = scaleTarget;
        this.clock = clock;
        this.sidecarGuard = sidecarGuard;
        this.holdsLease = holdsLease;
    }

    public Poll decide(Poll poll) {
        ScaledObjectStore.Entry entry = store.require(poll.config().id());
        ScaledObjectConfig config = poll.config();
        int current = scaleTarget.currentReplicas(config.namespace(), config.scaleTarget());
        PolicyInput input = new PolicyInput(poll.outcomes().stream().map(TriggerOutcome::toPolicyReading).toList(),
                current, config.scaling(), entry.history(), clock.instant(), sidecarGuard.test(config));
        ScaleDecision decision = ReplicaPolicy.decide(input);
        entry.decided(decision);
        boolean leaseLost = decision.changes() && !poll.dryRun() && !holdsLease.test(config);
        return poll.withDecision(decision, leaseLost);
    }
}
