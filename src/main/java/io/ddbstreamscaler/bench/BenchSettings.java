package io.ddbstreamscaler.bench;

import java.util.List;

/**
 * What the {@code bench} command was asked.
 *
 * @param polls  measured polls per row, after the warm-up ones
 * @param warmup polls run first and not measured (the first one also resolves the stream ARN; the JIT warms up)
 * @param shards the stream sizes, one row each
 */
public record BenchSettings(int polls, int warmup, List<Integer> shards) {

    public BenchSettings {
        shards = List.copyOf(shards);
        if (polls < 1 || warmup < 0) {
            throw new IllegalArgumentException("polls must be >= 1 and warmup >= 0, got " + polls + "/" + warmup);
        }
    }
}
