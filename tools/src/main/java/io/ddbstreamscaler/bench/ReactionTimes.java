package io.ddbstreamscaler.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pairs each shard split with the first DescribeStream that could see it and the first write to /scale after it,
 * from the timestamps of the two simulators' request logs.
 */
public final class ReactionTimes {

    /**
     * @param split   when the simulator split the shard
     * @param seen    the first successful DescribeStream at or after it (the poll that saw the new shards)
     * @param written the first PUT/PATCH of /scale at or after it
     */
    public record Reaction(Instant split, Optional<Instant> seen, Optional<Instant> written) {

        /** Split to write; empty when no write followed. */
        public Optional<Duration> total() {
            return written.map(w -> Duration.between(split, w));
        }

        /** Split to the poll that saw it: the wait for the next poll, at most one pollingInterval. */
        public Optional<Duration> detection() {
            return seen.map(s -> Duration.between(split, s));
        }
    }

    private ReactionTimes() {
    }

    public static List<Reaction> match(List<Instant> splits, List<Instant> describes, List<Instant> writes) {
        List<Reaction> reactions = new ArrayList<>(splits.size());
        for (Instant split : splits) {
            reactions.add(new Reaction(split, firstAtOrAfter(describes, split), firstAtOrAfter(writes, split)));
        }
        return reactions;
    }

    private static Optional<Instant> firstAtOrAfter(List<Instant> times, Instant from) {
        return times.stream().filter(t -> !t.isBefore(from)).min(Instant::compareTo);
    }
}
