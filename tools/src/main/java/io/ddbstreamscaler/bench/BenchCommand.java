package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.bench.BenchScenario;
import io.ddbstreamscaler.bench.BenchScenarios;
import io.ddbstreamscaler.bench.BenchSettings;
import io.ddbstreamscaler.bench.DurationArg;
import io.ddbstreamscaler.bench.Figure;
import io.ddbstreamscaler.bench.FiguresTable;
import io.ddbstreamscaler.bench.Machine;
import io.ddbstreamscaler.camel.RouteFolders;
import io.ddbstreamscaler.tools.AgentJars;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code bench --scenario probe|reaction|footprint|scale|all}: measures the agent against in-process simulators and
 * prints one table of figures (bench/RESULTS.md). footprint, scale and reaction start the built jar as the image runs it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark against in-process simulators (never a real AWS account; a real Kubernetes API server "
                + "only with --local-cluster, the local control plane of scripts/cluster).")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "probe",
            description = "What to measure: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = ScenarioNames.class)
    String scenario;

    @Option(names = "--polls", defaultValue = "20", description = "probe: measured polls per row. Default: ${DEFAULT-VALUE}.")
    int polls;

    @Option(names = "--warmup", defaultValue = "5", description = "probe: unmeasured polls first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--shards", split = ",", defaultValue = "10,100,1000,10000",
            description = "probe: stream sizes, one row each. Default: ${DEFAULT-VALUE}.")
    List<Integer> shards;

    @Option(names = "--splits", defaultValue = "8", description = "reaction: shard splits measured. Default: ${DEFAULT-VALUE}.")
    int splits;

    @Option(names = "--duration", paramLabel = "TIME",
            description = "footprint and scale: how long the agent runs (90s, 5m, 1m30s). Default: 5m for footprint, 3m for each scale fleet.")
    String duration;

    @Option(names = "--scaled-objects", defaultValue = "10000",
            description = "scale: the largest fleet to run (2,000, 10,000 and the 1,000 over budget; larger ones are "
                    + "skipped). Default: ${DEFAULT-VALUE}.")
    int scaledObjects;

    @Option(names = "--sample-every", paramLabel = "TIME", defaultValue = "5s",
            description = "footprint and scale: sampling period of RSS, threads, heap. Default: ${DEFAULT-VALUE}.")
    String sampleEvery;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "The agent jar (lib/ beside it). Default: the jar running this command, else target/ddbstream-scaler.jar.")
    Path jar;

    @Option(names = "--routes", paramLabel = "DIR", description = "The routes folder the agent loads (default as for run).")
    Path routes;

    @Option(names = "--drain-rate", defaultValue = "1.25", paramLabel = "X",
            description = "lease-aware: how fast a KCL worker reads one shard, as a multiple of the mean write rate"
                    + " (records arrive at 0.5x to 1.5x of it over the day). Default: ${DEFAULT-VALUE}.")
    double drainRate;

    @Option(names = "--nmt", description = "footprint: run the agent with -XX:NativeMemoryTracking=summary and report it.")
    boolean nmt;

    @Option(names = "--agent-jvm-flag", paramLabel = "FLAG",
            description = "footprint and scale: one more JVM flag for the agent, after the image's (repeatable), "
                    + "e.g. --agent-jvm-flag=-XX:SharedArchiveFile=app.jsa or -Dscaler.poll-threads=32.")
    java.util.List<String> agentJvmFlags = new java.util.ArrayList<>();

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "footprint: also run this Docker image (docker run --network host) the same way, "
                    + "e.g. ddbstream-scaler:0.1.0 from scripts/build-image.sh.")
    String image;

    @Option(names = "--local-cluster", paramLabel = "DIR",
            description = "scale and spread: run against the real control plane of scripts/cluster/start.sh --dir DIR "
                    + "(already running) instead of the Kubernetes simulator; the agent runs as the shipped "
                    + "ServiceAccount and Role. Run from the repository's root.")
    Path localCluster;

    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BenchScenarios.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        Optional<BenchScenario> s = BenchScenarios.find(scenario);
        if (s.isEmpty()) {
            err.println("bench: unknown --scenario " + scenario + "; known: " + String.join(", ", BenchScenarios.names()));
            return 2;
        }
        if (polls < 1 || warmup < 0 || splits < 1 || scaledObjects < 1 || shards.stream().anyMatch(n -> n < 0)) {
            err.println("bench: --polls, --splits and --scaled-objects must be >= 1, --warmup and --shards >= 0; got "
                    + polls + ", " + splits + ", " + scaledObjects + ", " + warmup + ", " + shards);
            return 2;
        }
        BenchSettings settings;
        try {
            Duration footprint = duration == null ? BenchSettings.DEFAULT_FOOTPRINT : DurationArg.parse("--duration", duration);
            Duration scale = duration == null ? BenchSettings.DEFAULT_SCALE : footprint;
            settings = new BenchSettings(polls, warmup, shards, splits, footprint, scale, scaledObjects,
                    DurationArg.parse("--sample-every", sampleEvery), agentJar(), routesFolder(), nmt, agentJvmFlags, image,
                    drainRate, localCluster == null ? null : localCluster.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        List<Figure> figures = s.get().run(settings, System.out);
        FiguresTable.print(Machine.current(), figures, System.out);
        return 0;
    }

    /** --jar, else the agent's jar beside the tools (target/), else target/ddbstream-scaler.jar; null when none exists. */
    private Path agentJar() {
        return jar != null ? jar : AgentJars.agentJar();
    }

    /** As for run (SCALER_ROUTES, the image's folder, ./routes), else the routes packed in the jar. */
    private Path routesFolder() throws java.io.IOException {
        Path folder = RouteFolders.locate(routes, System::getenv, agentJar());
        if (Files.isDirectory(folder)) {
            return folder.toAbsolutePath();
        }
        return RouteFolders.extractShipped(Files.createTempDirectory("bench-routes").resolve("routes"));
    }
}
