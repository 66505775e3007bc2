package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.HpaScalingRules.SelectPolicy;
import io.ddbstreamscaler.policy.PolicyHistory.ScaleEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds on one step of the replica count, as the HPA controller applies them
 * ({@code kubernetes/kubernetes: pkg/controller/podautoscaler/horizontal.go}).
 */
final class HpaRateLimits {

    /** horizontal.go {@code scaleUpLimitFactor} and {@code scaleUpLimitMinimum} (the nil-behavior path). */
    static final double SCALE_UP_LIMIT_FACTOR = 2.0;
    static final double SCALE_UP_LIMIT_MINIMUM = 4.0;

    static final String DESIRED_WITHIN_RANGE = "DesiredWithinRange";
    static final String SCALE_UP_LIMIT = "ScaleUpLimit";
    static final String TOO_MANY_REPLICAS = "TooManyReplicas";
    static final String SCALE_DOWN_LIMIT = "ScaleDownLimit";
    static final String TOO_FEW_REPLICAS = "TooFewReplicas";

    /** The bounded count and the HPA's ScalingLimited condition reason. */
    record Limited(int replicas, String condition) {
    }

    private HpaRateLimits() {
    }

    /** {@code convertDesiredReplicasWithRules}: the nil-behavior path, [min, min(max, max(2 x current, 4))]. */
    static Limited withRules(int current, int desired, int min, int max) {
        int scaleUpLimit = (int) Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
        int maximumAllowed;
        String condition;
        if (max > scaleUpLimit) {
            maximumAllowed = scaleUpLimit;
            condition = SCALE_UP_LIMIT;
        } else {
            maximumAllowed = max;
            condition = TOO_MANY_REPLICAS;
        }
        if (desired < min) {
            return new Limited(min, TOO_FEW_REPLICAS);
        } else if (desired > maximumAllowed) {
            return new Limited(maximumAllowed, condition);
        }
        return new Limited(desired, DESIRED_WITHIN_RANGE);
    }

    /**
     * {@code convertDesiredReplicasWithBehaviorRate}: the behavior path; the policies bound the step against the
     * count at the start of each policy's period, reconstructed from the recorded events.
     */
    static Limited withBehaviorRate(int current, int desired, int min, int max, HpaScalingRules up, HpaScalingRules down,
                                    List<ScaleEvent> upEvents, List<ScaleEvent> downEvents, Instant now) {
        if (desired > current) {
            // "We shouldn't scale up further until the scaleUpEvents will be cleaned up"
            int scaleUpLimit = Math.max(scaleUpLimit(current, upEvents, downEvents, up, now), current);
            boolean rateBinds = max > scaleUpLimit;
            int maximumAllowed = rateBinds ? scaleUpLimit : max;
            if (desired > maximumAllowed) {
                return new Limited(maximumAllowed, rateBinds ? SCALE_UP_LIMIT : TOO_MANY_REPLICAS);
            }
        } else if (desired < current) {
            int scaleDownLimit = Math.min(scaleDownLimit(current, upEvents, downEvents, down, now), current);
            boolean rateBinds = min < scaleDownLimit;
            int minimumAllowed = rateBinds ? scaleDownLimit : min;
            if (desired < minimumAllowed) {
                return new Limited(minimumAllowed, rateBinds ? SCALE_DOWN_LIMIT : TOO_FEW_REPLICAS);
            }
        }
        return new Limited(desired, DESIRED_WITHIN_RANGE);
    }

    /** {@code calculateScaleUpLimitWithScalingRules}. */
    static int scaleUpLimit(int current, List<ScaleEvent> upEvents, List<ScaleEvent> downEvents,
                            HpaScalingRules rules, Instant now) {
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean min = rules.selectPolicy() == SelectPolicy.MIN; // for scaling up, 'Min' picks the smallest limit
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (HpaScalingPolicy policy : rules.policies()) {
            int periodStart = current - changeInPeriod(policy.periodSeconds(), upEvents, now)
                    + changeInPeriod(policy.periodSeconds(), downEvents, now);
            int proposed = policy.type() == HpaScalingPolicy.Type.PODS
                    ? periodStart + policy.value()
                    // rounded up: "the proposed change might not increase the replica count causing the target to never scale up"
                    : (int) Math.ceil(periodStart * (1 + policy.value() / 100.0));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    /** {@code calculateScaleDownLimitWithBehaviors}. */
    static int scaleDownLimit(int current, List<ScaleEvent> upEvents, List<ScaleEvent> downEvents,
                              HpaScalingRules rules, Instant now) {
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean min = rules.selectPolicy() == SelectPolicy.MIN; // for scaling down, 'Min' change is the highest limit
        int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (HpaScalingPolicy policy : rules.policies()) {
            int periodStart = current - changeInPeriod(policy.periodSeconds(), upEvents, now)
                    + changeInPeriod(policy.periodSeconds(), downEvents, now);
            int proposed = policy.type() == HpaScalingPolicy.Type.PODS
                    ? periodStart - policy.value()
                    : (int) (periodStart * (1 - policy.value() / 100.0)); // Go's int32() truncates toward zero, as Java's cast
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    /** {@code getReplicasChangePerPeriod}: the replicas changed by events strictly inside the last period. */
    static int changeInPeriod(int periodSeconds, List<ScaleEvent> events, Instant now) {
        Instant cutoff = now.minusSeconds(periodSeconds);
        int replicas = 0;
        for (ScaleEvent event : events) {
            if (event.at().isAfter(cutoff)) {
                replicas += event.replicaChange();
            }
        }
        return replicas;
    }

    /**
     * One direction of {@code storeScaleEvent}: mark events older than the direction's longest policy period as
     * outdated ({@code markScaleEventsOutdated}), then reuse the last outdated slot or append.
     */
    static List<ScaleEvent> store(List<ScaleEvent> events, int replicaChange, HpaScalingRules rules, Instant now) {
        int longestPeriod = rules.policies().stream().mapToInt(HpaScalingPolicy::periodSeconds).max().orElse(0);
        Instant cutoff = now.minusSeconds(longestPeriod);
        List<ScaleEvent> next = new ArrayList<>(events.size() + 1);
        int outdatedIndex = -1;
        for (int i = 0; i < events.size(); i++) {
            ScaleEvent e = events.get(i);
            boolean outdated = e.outdated() || e.at().isBefore(cutoff);
            next.add(new ScaleEvent(e.replicaChange(), e.at(), outdated));
            if (outdated) {
                outdatedIndex = i;
            }
        }
        ScaleEvent fresh = new ScaleEvent(replicaChange, now, false);
        if (outdatedIndex >= 0) {
            next.set(outdatedIndex, fresh);
        } else {
            next.add(fresh);
        }
        return List.copyOf(next);
    }
}
