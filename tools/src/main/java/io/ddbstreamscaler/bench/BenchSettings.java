package io.ddbstreamscaler.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the {@code bench} command was asked.
 *
 * @param polls             probe: measured polls per row, after the warm-up ones
 * @param warmup            probe: polls run first and not measured (the first also resolves the stream ARN)
 * @param shards            probe: the stream sizes, one row each
 * @param splits            reaction: shard splits measured
 * @param footprintDuration footprint: how long the shipped agent runs before the last sample
 * @param scaleDuration     scale: how long the 1,000-ScaledObject agent runs
 * @param scaledObjects     scale: how many ScaledObjects (and tables)
 * @param sampleEvery       footprint and scale: how often RSS, threads and heap are sampled
 * @param agentJar          footprint and scale: the built jar (lib/ beside it); null when there is none
 * @param routes            the route folder the agent loads
 * @param nativeMemoryTracking footprint: run the agent with -XX:NativeMemoryTracking=summary and report its categories
 * @param agentJvmFlags     footprint and scale: more JVM flags for the agent (e.g. -XX:SharedArchiveFile=…), after the image's
 * @param image             footprint: a Docker image to measure as well, after {@code java -jar}; null for none
 * @param drainRate         lease-aware: how fast a KCL worker reads one shard, as a multiple of the mean write rate
 * @param localCluster      scale and spread: the state directory of a running scripts/cluster/start.sh control plane
 *                          to run against instead of the Kubernetes simulator; null for the simulator
 */
public record BenchSettings(int polls, int warmup, List<Integer> shards, int splits, Duration footprintDuration,
                            Duration scaleDuration, int scaledObjects, Duration sampleEvery, Path agentJar, Path routes,
                            boolean nativeMemoryTracking, List<String> agentJvmFlags, String image, double drainRate,
                            Path localCluster) {

    public static final double DEFAULT_DRAIN_RATE = 1.25;

    public BenchSettings(int polls, int warmup, List<Integer> shards, int splits, Duration footprintDuration,
                         Duration scaleDuration, int scaledObjects, Duration sampleEvery, Path agentJar, Path routes,
                         boolean nativeMemoryTracking, List<String> agentJvmFlags, String image, double drainRate) {
        this(polls, warmup, shards, splits, footprintDuration, scaleDuration, scaledObjects, sampleEvery, agentJar, routes,
                nativeMemoryTracking, agentJvmFlags, image, drainRate, null);
    }

    public BenchSettings(int polls, int warmup, List<Integer> shards, int splits, Duration footprintDuration,
                         Duration scaleDuration, int scaledObjects, Duration sampleEvery, Path agentJar, Path routes,
                         boolean nativeMemoryTracking, List<String> agentJvmFlags, String image) {
        this(polls, warmup, shards, splits, footprintDuration, scaleDuration, scaledObjects, sampleEvery, agentJar, routes,
                nativeMemoryTracking, agentJvmFlags, image, DEFAULT_DRAIN_RATE);
    }

    public BenchSettings(int polls, int warmup, List<Integer> shards, int splits, Duration footprintDuration,
                         Duration scaleDuration, int scaledObjects, Duration sampleEvery, Path agentJar, Path routes,
                         boolean nativeMemoryTracking) {
        this(polls, warmup, shards, splits, footprintDuration, scaleDuration, scaledObjects, sampleEvery, agentJar, routes,
                nativeMemoryTracking, List.of(), null);
    }

    public static final int DEFAULT_SPLITS = 8;
    public static final Duration DEFAULT_FOOTPRINT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SCALE = Duration.ofMinutes(3);
    public static final int DEFAULT_SCALED_OBJECTS = 10_000;
    public static final Duration DEFAULT_SAMPLE_EVERY = Duration.ofSeconds(5);

    public BenchSettings {
        shards = List.copyOf(shards);
        agentJvmFlags = List.copyOf(agentJvmFlags);
        if (polls < 1 || warmup < 0) {
            throw new IllegalArgumentException("polls must be >= 1 and warmup >= 0, got " + polls + "/" + warmup);
        }
        if (!(drainRate > 0)) {
            throw new IllegalArgumentException("--drain-rate must be > 0, got " + drainRate);
        }
        if (splits < 1 || scaledObjects < 1) {
            throw new IllegalArgumentException("splits and scaledObjects must be >= 1, got " + splits + "/" + scaledObjects);
        }
    }

    /** The probe benchmark's settings; the other scenarios' at their defaults, no jar, routes from ./routes. */
    public BenchSettings(int polls, int warmup, List<Integer> shards) {
        this(polls, warmup, shards, DEFAULT_SPLITS, DEFAULT_FOOTPRINT, DEFAULT_SCALE, DEFAULT_SCALED_OBJECTS,
                DEFAULT_SAMPLE_EVERY, null, Path.of("routes"), false);
    }
}
