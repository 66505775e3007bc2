package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.policy.ScalingSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ScaledObject: its DynamoDB Streams triggers (others are not ours: skipped with a note; a near miss of our type is
 * an error), target and replica settings. Every error of the object is collected before giving up on it.
 */
final class ScaledObjectParser {

    private ScaledObjectParser() {
    }

    /** Null when the object is not ours (noted as skipped) or has errors (in {@code sink}). */
    static ScaledObjectConfig parse(ObjectHeader header, YamlView root, TriggerContext context, ErrorSink sink) {
        YamlView spec = root.object("spec");
        if (spec == null) {
            if (!root.has("spec")) {
                sink.add("spec", "is required");
            }
            return null;
        }
        List<YamlView> triggers = spec.objects("triggers");
        List<Integer> ours = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < triggers.size(); i++) {
            String type = triggers.get(i) == null ? null : triggers.get(i).string("type");
            if (DynamoDbStreamTriggerParser.isOurs(type)) {
                ours.add(i);
            } else if (type == null && triggers.get(i) != null) {
                // KEDA's CRD requires a type: a trigger without one is nobody's, and may well be meant as ours.
                sink.forTrigger(i).add(triggers.get(i).path("type"), "is required");
            } else if (DynamoDbStreamTriggerParser.nearMiss(type).isPresent()) {
                // A typo must not make the ScaledObject vanish as "not ours": it is an error naming the spelling.
                sink.forTrigger(i).add(triggers.get(i).path("type"), "unknown trigger type " + YamlView.quote(type)
                        + ": did you mean " + DynamoDbStreamTriggerParser.nearMiss(type).get() + "?");
            } else if (triggers.get(i) != null) {
                others.add(type);
            }
        }
        if (ours.isEmpty()) {
            if (sink.isEmpty()) {
                context.skipped().add(context.file() + ": " + context.objectLabel() + ": no aws-dynamodb-stream(s)"
                        + " trigger (types " + others + "): skipped");
            }
            return null;
        }
        if (!others.isEmpty()) {
            context.skipped().add(context.file() + ": " + context.objectLabel() + ": triggers of other types " + others
                    + " are not handled by this scaler and are skipped");
        }
        ScaleTargetRef target = scaleTarget(spec, sink);
        int pollingInterval = ScalingSettingsParser.pollingInterval(spec);
        YamlView metadata = root.object("metadata");
        Map<String, String> annotations = metadata == null ? Map.of() : metadata.strings("annotations");
        ScalingSettings settings = ScalingSettingsParser.parse(spec, annotations, "metadata.annotations", sink);

        List<TriggerConfig> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int index : ours) {
            YamlView trigger = triggers.get(index);
            Problems problems = sink.forTrigger(index);
            String name = trigger.string("name");
            // KEDA's ValidateTriggers: trigger names must be unique within the object.
            if (name != null && !names.add(name)) {
                problems.add(trigger.path("name"), "triggerName " + YamlView.quote(name) + " is defined multiple times");
            }
            TriggerConfig config = DynamoDbStreamTriggerParser.parse(index, trigger, context, problems);
            if (config != null) {
                parsed.add(config);
            }
        }
        checkFallbackMetricTypes(settings, parsed, sink);
        if (!sink.isEmpty()) {
            return null;
        }
        return new ScaledObjectConfig(context.file(), header.namespace(), header.name(), target, pollingInterval,
                settings, parsed);
    }

    private static ScaleTargetRef scaleTarget(YamlView spec, Problems problems) {
        YamlView ref = spec.object("scaleTargetRef");
        if (ref == null) {
            problems.add(spec.path("scaleTargetRef"), "is required");
            return null;
        }
        String name = ref.string("name");
        if (name == null) {
            problems.add(ref.path("name"), "is required");
        }
        String apiVersion = ref.string("apiVersion");
        String kind = ref.string("kind");
        return new ScaleTargetRef(apiVersion == null ? "apps/v1" : apiVersion, kind == null ? "Deployment" : kind, name);
    }

    /** KEDA's CheckFallbackValid: a fallback needs AverageValue metrics (the fallback value is per replica). */
    private static void checkFallbackMetricTypes(ScalingSettings settings, List<TriggerConfig> triggers, Problems problems) {
        if (settings.fallback() == null) {
            return;
        }
        for (TriggerConfig trigger : triggers) {
            if (trigger.metricType() != MetricType.AVERAGE_VALUE) {
                problems.add("spec.fallback", "MetricType=" + trigger.metricType().keda() + " (spec.triggers["
                        + trigger.index() + "]), but Fallback can only be enabled for triggers with metric of type"
                        + " AverageValue");
            }
        }
    }
}
