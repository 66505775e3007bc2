package io.ddbstreamscaler.policy;

import io.ddbstreamscaler.policy.PolicyHistory.Recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stabilization windows over recent recommendations, as the HPA controller does them
 * ({@code kubernetes/kubernetes: pkg/controller/podautoscaler/horizontal.go}).
 */
final class HpaStabilization {

    /** The controller's {@code --horizontal-pod-autoscaler-downscale-stabilization} default. */
    static final Duration DOWNSCALE_STABILIZATION_WINDOW = Duration.ofSeconds(300);

    /** The stabilized recommendation and the recommendation list with the new one recorded. */
    record Stabilized(int replicas, List<Recommendation> recommendations) {
    }

    private HpaStabilization() {
    }

    /** {@code recordInitialRecommendation}: the first reconcile seeds the list with the current count. */
    static List<Recommendation> recordInitial(List<Recommendation> recs, int currentReplicas, Instant now) {
        return recs.isEmpty() ? List.of(new Recommendation(currentReplicas, now)) : recs;
    }

    /**
     * {@code stabilizeRecommendation} (no behavior): the max of the prenormalized recommendation and every
     * recommendation not older than the 300 s window; a sample older than the window is reused for the new one.
     */
    static Stabilized withoutBehavior(List<Recommendation> recs, int prenormalized, Instant now) {
        int max = prenormalized;
        int oldIndex = -1;
        Instant cutoff = now.minus(DOWNSCALE_STABILIZATION_WINDOW);
        for (int i = 0; i < recs.size(); i++) {
            Recommendation rec = recs.get(i);
            if (rec.at().isBefore(cutoff)) {
                oldIndex = i;
            } else if (rec.replicas() > max) {
                max = rec.replicas();
            }
        }
        return new Stabilized(max, record(recs, oldIndex, new Recommendation(prenormalized, now)));
    }

    /**
     * {@code stabilizeRecommendationWithBehaviors}: the lowest recommendation in the scale-up window bounds the count
     * from below, the highest in the scale-down window bounds it from above, and the current count is brought
     * within those bounds (so a recommendation never moves the count against its own direction).
     */
    static Stabilized withBehavior(List<Recommendation> recs, int currentReplicas, int prenormalized,
                                   int upWindowSeconds, int downWindowSeconds, Instant now) {
        int up = prenormalized;
        int down = prenormalized;
        Instant upCutoff = now.minusSeconds(upWindowSeconds);
        Instant downCutoff = now.minusSeconds(downWindowSeconds);
        int oldIndex = -1;
        for (int i = 0; i < recs.size(); i++) {
            Recommendation rec = recs.get(i);
            if (rec.at().isAfter(upCutoff)) {
                up = Math.min(rec.replicas(), up);
            }
            if (rec.at().isAfter(downCutoff)) {
                down = Math.max(rec.replicas(), down);
            }
            if (rec.at().isBefore(upCutoff) && rec.at().isBefore(downCutoff)) {
                oldIndex = i;
            }
        }
        int recommendation = currentReplicas;
        if (recommendation < up) {
            recommendation = up;
        }
        if (recommendation > down) {
            recommendation = down;
        }
        return new Stabilized(recommendation, record(recs, oldIndex, new Recommendation(prenormalized, now)));
    }

    private static List<Recommendation> record(List<Recommendation> recs, int oldIndex, Recommendation fresh) {
        List<Recommendation> next = new ArrayList<>(recs);
        if (oldIndex >= 0) {
            next.set(oldIndex, fresh);
        } else {
            next.add(fresh);
        }
        return List.copyOf(next);
    }
}
