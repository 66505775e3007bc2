package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.ScalingSettings;

import java.nio.file.Path;
import java.util.List;

/** One parsed ScaledObject with at least one DynamoDB Streams trigger, defaults applied, validated. */
public record ScaledObjectConfig(Path sourceFile, String namespace, String name, ScaleTargetRef scaleTarget,
                                 int pollingIntervalSeconds, ScalingSettings scaling, List<TriggerConfig> triggers) {

    public ScaledObjectConfig {
        triggers = List.copyOf(triggers);
    }

    /** "namespace/name", the way KEDA and kubectl name an object. */
    public String id() {
        return namespace + "/" + name;
    }
}
