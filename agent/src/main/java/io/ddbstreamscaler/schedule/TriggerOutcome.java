package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.policy.TriggerReading;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.TriggerConfig;

/** What the stream stage found for one trigger: a reading, or the typed failure. */
public record TriggerOutcome(TriggerConfig trigger, ShardReading reading, ProbeException error) {

    public static TriggerOutcome of(TriggerConfig trigger, ShardReading reading) {
        return new TriggerOutcome(trigger, reading, null);
    }

    public static TriggerOutcome failed(TriggerConfig trigger, ProbeException error) {
        return new TriggerOutcome(trigger, null, error);
    }

    public boolean failed() {
        return error != null;
    }

    /** The metric the policy sees: total shards (KEDA), or open ones with {@code countClosedShards: false}. */
    public TriggerReading toPolicyReading() {
        TriggerConfig t = trigger;
        if (failed()) {
            return TriggerReading.failed(t.metricName(), t.metricType(), t.shardCount(), t.activationShardCount(),
                    error.kind() + ": " + error.getMessage());
        }
        return TriggerReading.of(t.metricName(), t.metricType(), t.shardCount(), t.activationShardCount(),
                reading.metricValue(t.countClosedShards()));
    }
}
