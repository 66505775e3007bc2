package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.HpaBehavior;
import io.ddbstreamscaler.policy.HpaScalingPolicy;
import io.ddbstreamscaler.policy.HpaScalingRules;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code spec.advanced.horizontalPodAutoscalerConfig.behavior}, checked with the API server's own rules
 * ({@code kubernetes/kubernetes: pkg/apis/autoscaling/validation/validation.go}, validateScalingRules): a
 * stabilization window of 0..3600 s, a policy value above 0, a period of 1..1800 s.
 */
final class BehaviorParser {

    static final int MAX_STABILIZATION_WINDOW_SECONDS = 3600;
    static final int MAX_PERIOD_SECONDS = 1800;

    private BehaviorParser() {
    }

    /** Null when the behavior is unset (the HPA's nil-behavior path). */
    static HpaBehavior parse(YamlView spec, Problems problems) {
        YamlView advanced = spec.object("advanced");
        YamlView hpa = advanced == null ? null : advanced.object("horizontalPodAutoscalerConfig");
        YamlView behavior = hpa == null ? null : hpa.object("behavior");
        if (behavior == null) {
            return null;
        }
        return new HpaBehavior(rules(behavior.object("scaleUp"), problems), rules(behavior.object("scaleDown"), problems));
    }

    private static HpaScalingRules rules(YamlView rules, Problems problems) {
        if (rules == null) {
            return null;
        }
        Integer window = rules.integer("stabilizationWindowSeconds", 0);
        if (window != null && window > MAX_STABILIZATION_WINDOW_SECONDS) {
            problems.add(rules.path("stabilizationWindowSeconds"), "must be at most "
                    + MAX_STABILIZATION_WINDOW_SECONDS + ", got " + window);
        }
        HpaScalingRules.SelectPolicy select = selectPolicy(rules, problems);
        List<HpaScalingPolicy> policies = null;
        if (rules.has("policies")) {
            policies = new ArrayList<>();
            for (YamlView policy : rules.objects("policies")) {
                HpaScalingPolicy parsed = policy == null ? null : policy(policy, problems);
                if (parsed != null) {
                    policies.add(parsed);
                }
            }
        }
        return new HpaScalingRules(window, select, policies);
    }

    private static HpaScalingRules.SelectPolicy selectPolicy(YamlView rules, Problems problems) {
        String value = rules.string("selectPolicy");
        if (value == null) {
            return null;
        }
        switch (value) {
            case "Max":
                return HpaScalingRules.SelectPolicy.MAX;
            case "Min":
                return HpaScalingRules.SelectPolicy.MIN;
            case "Disabled":
                return HpaScalingRules.SelectPolicy.DISABLED;
            default:
                problems.add(rules.path("selectPolicy"), "must be Max, Min or Disabled, got " + YamlView.quote(value));
                return null;
        }
    }

    private static HpaScalingPolicy policy(YamlView policy, Problems problems) {
        String type = policy.string("type");
        HpaScalingPolicy.Type parsedType = null;
        if (type == null) {
            problems.add(policy.path("type"), "is required");
        } else if (type.equals("Pods")) {
            parsedType = HpaScalingPolicy.Type.PODS;
        } else if (type.equals("Percent")) {
            parsedType = HpaScalingPolicy.Type.PERCENT;
        } else {
            problems.add(policy.path("type"), "must be Pods or Percent, got " + YamlView.quote(type));
        }
        Integer value = requiredInt(policy, "value", 1, problems);
        Integer period = requiredInt(policy, "periodSeconds", 1, problems);
        if (period != null && period > MAX_PERIOD_SECONDS) {
            problems.add(policy.path("periodSeconds"), "must be at most " + MAX_PERIOD_SECONDS + ", got " + period);
            period = null;
        }
        return parsedType == null || value == null || period == null ? null
                : new HpaScalingPolicy(parsedType, value, period);
    }

    private static Integer requiredInt(YamlView view, String key, int min, Problems problems) {
        if (!view.has(key)) {
            problems.add(view.path(key), "is required");
            return null;
        }
        return view.integer(key, min);
    }
}
