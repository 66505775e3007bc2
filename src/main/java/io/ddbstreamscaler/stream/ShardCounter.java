package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.trigger.TriggerConfig;

import java.util.Collection;

/** The port to DynamoDB Streams: counts the shards of one trigger's table. */
public interface ShardCounter extends AutoCloseable {

    /**
     * Counts the shards of the trigger's table stream, with the trigger's region, endpoint and credentials.
     *
     * @throws ProbeException typed, with a message that says what to do; never carries a credential
     */
    ShardReading count(TriggerConfig trigger);

    /** Loads what the first count needs ahead of time, off the poll's path; optional. */
    default void warmUp() {
    }

    /**
     * Closes and forgets whatever was built for triggers that are no longer configured (clients of rotated keys,
     * cached stream ARNs), keeping what {@code live} still uses. Called after every trigger reload; optional.
     */
    default void retainOnly(Collection<TriggerConfig> live) {
    }

    @Override
    default void close() {
    }
}
