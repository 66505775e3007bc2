package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.apache.camel.Header;

import java.util.ArrayList;
import java.util.List;

/** The stream stage of the scale loop: counts the shards of every trigger of one ScaledObject. */
public final class StreamStage {

    /** The header the scale-loop template sets to the ScaledObject's "namespace/name". */
    public static final String SCALED_OBJECT_HEADER = "ScaledObject";

    private final ScaledObjectStore store;
    private final ShardCounter shardCounter;
    private final boolean dryRun;

    public StreamStage(ScaledObjectStore store, ShardCounter shardCounter, boolean dryRun) {
        this.store = store;
        this.shardCounter = shardCounter;
        this.dryRun = dryRun;
    }

    /** One trigger's failure never hides another's reading: each is counted on its own (KEDA does the same). */
    public Poll probe(@Header(SCALED_OBJECT_HEADER) String scaledObjectId) {
        long start = System.nanoTime();
        ScaledObjectConfig config = store.require(scaledObjectId).config();
        List<TriggerOutcome> outcomes = new ArrayList<>(config.triggers().size());
        for (TriggerConfig trigger : config.triggers()) {
            try {
                outcomes.add(TriggerOutcome.of(trigger, shardCounter.count(trigger)));
            } catch (ProbeException e) {
                outcomes.add(TriggerOutcome.failed(trigger, e));
            } catch (RuntimeException e) {
                // An unexpected failure is still a failed reading: the policy holds the count rather than guess.
                outcomes.add(TriggerOutcome.failed(trigger, new ProbeException(ProbeException.Kind.UNAVAILABLE,
                        "unexpected probe failure: " + e.getClass().getSimpleName(), 0, e)));
            }
        }
        return new Poll(config, outcomes, null, dryRun, start);
    }
}
