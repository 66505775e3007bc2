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

    /**
     * Books the AWS calls one count of {@code trigger} is expected to make ({@code calls}) from the shared budget, and
     * says how long until they are all available; the count, run later on a thread with the booking open as a
     * {@link CallCredit}, spends them. Counters without a budget book nothing.
     */
    default Booking book(TriggerConfig trigger, int calls) {
        return Booking.NONE;
    }

    /** Calls booked for one trigger: its budget key (null when none), how many, and the delay until they are there. */
    record Booking(AwsCallBudget.Key key, int calls, java.time.Duration delay) {
        public static final Booking NONE = new Booking(null, 0, java.time.Duration.ZERO);
    }

    /** Gives back calls booked with {@link #book} and not spent (see {@link CallCredit#unspent()}). */
    default void refund(java.util.Map<AwsCallBudget.Key, Integer> unspent) {
    }

    /** The budget {@link #book} books {@code trigger}'s calls from; null when this counter has no budget. */
    default AwsCallBudget.Key budgetKeyOf(TriggerConfig trigger) {
        return null;
    }

    /** Calls per second one budget key may make; 0 when this counter has no budget. */
    default double budgetPerSecond() {
        return 0;
    }

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
