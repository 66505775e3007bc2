package io.ddbstreamscaler.policy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy's memory between decisions: what the KEDA operator keeps in the ScaledObject's status
 * ({@code lastActiveTime}, {@code health[metric].numberOfFailures}, the creation time) and what the HPA controller
 * keeps in memory (recent recommendations, scale-up and scale-down events). Immutable; each decision returns the next.
 *
 * <p>Bounded: like the HPA controller, a new recommendation or event replaces an entry that has fallen out of every
 * window instead of growing the list, so the lists hold at most one entry per poll of the longest window, plus one.
 *
 * @param createdAt          when the policy first saw this ScaledObject (KEDA: {@code metadata.creationTimestamp}), null before the first decision
 * @param lastActiveTime     KEDA {@code status.lastActiveTime}, null when never active
 * @param recommendations    the HPA's unstabilized recommendations, oldest slots reused
 * @param scaleUpEvents      the HPA's scale-up events (only recorded when a behavior is set, as the HPA does)
 * @param scaleDownEvents    the HPA's scale-down events
 * @param failuresByTrigger  consecutive failed readings per trigger name (KEDA {@code status.health[metric].numberOfFailures})
 */
public record PolicyHistory(Instant createdAt, Instant lastActiveTime, List<Recommendation> recommendations,
                            List<ScaleEvent> scaleUpEvents, List<ScaleEvent> scaleDownEvents,
                            Map<String, Integer> failuresByTrigger) {

    /** One unstabilized HPA recommendation (horizontal.go {@code timestampedRecommendation}). */
    public record Recommendation(int replicas, Instant at) {
    }

    /** One HPA scale event (horizontal.go {@code timestampedScaleEvent}); the change is a positive count. */
    public record ScaleEvent(int replicaChange, Instant at, boolean outdated) {
    }

    public PolicyHistory {
        recommendations = List.copyOf(recommendations);
        scaleUpEvents = List.copyOf(scaleUpEvents);
        scaleDownEvents = List.copyOf(scaleDownEvents);
        failuresByTrigger = Map.copyOf(failuresByTrigger);
    }

    public static PolicyHistory empty() {
        return new PolicyHistory(null, null, List.of(), List.of(), List.of(), Map.of());
    }

    /** The largest consecutive-failure count over the triggers (0 when all are healthy). */
    public int consecutiveFailures() {
        return failuresByTrigger.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Consecutive failures of one trigger. */
    public int consecutiveFailures(String triggerName) {
        return failuresByTrigger.getOrDefault(triggerName, 0);
    }

    /**
     * This history with {@code before}'s scale events: the scale that the decision recorded was not written (the write
     * failed, a dry run, the Lease moved), and the HPA stores a scale event only after a successful update
     * (horizontal.go reconcileAutoscaler: storeScaleEvent follows the Scales().Update).
     */
    public PolicyHistory withScaleEventsOf(PolicyHistory before) {
        return withScaleEvents(before.scaleUpEvents(), before.scaleDownEvents());
    }

    PolicyHistory createdIfUnset(Instant now) {
        return createdAt != null ? this
                : new PolicyHistory(now, lastActiveTime, recommendations, scaleUpEvents, scaleDownEvents, failuresByTrigger);
    }

    PolicyHistory withLastActiveTime(Instant time) {
        return new PolicyHistory(createdAt, time, recommendations, scaleUpEvents, scaleDownEvents, failuresByTrigger);
    }

    PolicyHistory withRecommendations(List<Recommendation> recs) {
        return new PolicyHistory(createdAt, lastActiveTime, recs, scaleUpEvents, scaleDownEvents, failuresByTrigger);
    }

    PolicyHistory withScaleEvents(List<ScaleEvent> up, List<ScaleEvent> down) {
        return new PolicyHistory(createdAt, lastActiveTime, recommendations, up, down, failuresByTrigger);
    }

    /**
     * Counts failures as KEDA's {@code fallback.GetMetricsWithFallback} does: a success resets the trigger's
     * count to 0, a failure adds 1.
     */
    PolicyHistory withReadings(List<TriggerReading> readings) {
        Map<String, Integer> next = new HashMap<>();
        for (TriggerReading r : readings) {
            next.put(r.triggerName(), r.failed() ? consecutiveFailures(r.triggerName()) + 1 : 0);
        }
        return new PolicyHistory(createdAt, lastActiveTime, recommendations, scaleUpEvents, scaleDownEvents, next);
    }
}
