package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.Fallback;
import io.ddbstreamscaler.policy.HpaBehavior;
import io.ddbstreamscaler.policy.ScalingSettings;

import java.util.Map;

/**
 * The replica settings of a ScaledObject with KEDA's defaults ({@code apis/keda/v1alpha1/scaledobject_types.go}) and
 * the webhook's cross-field rules ({@code CheckReplicaCountBoundsAreValid}, {@code CheckFallbackValid}).
 */
final class ScalingSettingsParser {

    static final int DEFAULT_POLLING_INTERVAL = 30;
    static final int DEFAULT_COOLDOWN_PERIOD = 300;
    static final int DEFAULT_MIN_REPLICAS = 0;
    static final int DEFAULT_MAX_REPLICAS = 100;
    static final String PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";
    static final String PAUSED = "autoscaling.keda.sh/paused";

    private ScalingSettingsParser() {
    }

    static int pollingInterval(YamlView spec) {
        Integer value = spec.integer("pollingInterval", 1);
        return value == null ? DEFAULT_POLLING_INTERVAL : value;
    }

    static ScalingSettings parse(YamlView spec, Map<String, String> annotations, String annotationsPath,
                                 Problems problems) {
        int min = orDefault(spec.integer("minReplicaCount", 0), DEFAULT_MIN_REPLICAS);
        // The HPA requires maxReplicas >= 1 (kubernetes pkg/apis/autoscaling/validation).
        int max = orDefault(spec.integer("maxReplicaCount", 1), DEFAULT_MAX_REPLICAS);
        Integer idle = spec.integer("idleReplicaCount", 0);
        int cooldown = orDefault(spec.integer("cooldownPeriod", 0), DEFAULT_COOLDOWN_PERIOD);
        int initialCooldown = orDefault(spec.integer("initialCooldownPeriod", 0), 0);
        if (min > max) {
            problems.add(spec.path("minReplicaCount"), "MinReplicaCount=" + min
                    + " must be less than MaxReplicaCount=" + max);
        }
        // KEDA: idle must be below min, and min counts as 0 when unset.
        if (idle != null && idle >= min) {
            problems.add(spec.path("idleReplicaCount"), "IdleReplicaCount=" + idle
                    + " must be less than MinReplicaCount=" + min);
        }
        Fallback fallback = fallback(spec, problems);
        HpaBehavior behavior = BehaviorParser.parse(spec, problems);
        Integer pausedReplicas = pausedReplicas(annotations, annotationsPath, problems);
        boolean paused = paused(annotations, annotationsPath, problems);
        return new ScalingSettings(min, max, idle, cooldown, initialCooldown, fallback, behavior, pausedReplicas, paused);
    }

    private static Fallback fallback(YamlView spec, Problems problems) {
        YamlView fallback = spec.object("fallback");
        if (fallback == null) {
            return null;
        }
        Integer threshold = required(fallback, "failureThreshold", problems);
        Integer replicas = required(fallback, "replicas", problems);
        return threshold == null || replicas == null ? null : new Fallback(threshold, replicas);
    }

    /** KEDA: "FailureThreshold & Replicas must both be greater than or equal to 0". */
    private static Integer required(YamlView view, String key, Problems problems) {
        if (!view.has(key)) {
            problems.add(view.path(key), "is required");
            return null;
        }
        return view.integer(key, 0);
    }

    private static Integer pausedReplicas(Map<String, String> annotations, String path, Problems problems) {
        String value = annotations.get(PAUSED_REPLICAS);
        if (value == null) {
            return null;
        }
        try {
            int replicas = Integer.parseInt(value.trim());
            if (replicas >= 0) {
                return replicas;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(path + "." + PAUSED_REPLICAS, "must be a whole number >= 0, got " + YamlView.quote(value));
        return null;
    }

    /** KEDA reads the annotation with strconv.ParseBool; we accept true/false only and say so otherwise. */
    private static boolean paused(Map<String, String> annotations, String path, Problems problems) {
        String value = annotations.get(PAUSED);
        if (value == null) {
            return false;
        }
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        problems.add(path + "." + PAUSED, "must be true or false, got " + YamlView.quote(value));
        return false;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
