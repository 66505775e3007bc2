package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.aws.SimKclConsumer.ChildLeases;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --scenario lease-aware}: what {@code kclLeaseTable} saves, measured on a simulated day ({@link SplitDay})
 * for each count: replica-hours, and how long shards with records waited for a worker, with KCL's two ways of creating
 * child leases. Prints the table, writes a PNG of the day ({@code bench/lease-aware.png} when run from the repository
 * root) and a CSV of every poll (in a temporary folder).
 */
public final class LeaseAwareBenchmark implements BenchScenario {

    static final int POLLING_INTERVAL = 30;
    /**
     * The ScaledObject every count is judged with: KEDA's defaults, two shards per replica, at least one worker, and a
     * maximum high enough that KEDA's count is never clamped.
     */
    static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: orders-consumer, namespace: bench}
            spec:
              scaleTargetRef: {name: orders-consumer}
              pollingInterval: %d
              minReplicaCount: 1
              maxReplicaCount: 500
              triggers:
              - type: aws-dynamodb-stream
                metadata: {tableName: orders, awsRegion: us-east-1, identityOwner: operator, shardCount: "2",
                           kclLeaseTable: orders-consumer}
            """.formatted(POLLING_INTERVAL);

    @Override
    public String name() {
        return "lease-aware";
    }

    @Override
    public String description() {
        return "a simulated day of splits (after a first one): replica-hours and waits of KEDA's count, open-only and kclLeaseTable (--drain-rate)";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws IOException {
        ScaledObjectConfig so = scaledObject();
        SplitDay day = new SplitDay(so.triggers().get(0), so.scaling(), so.pollingIntervalSeconds(), settings.drainRate());
        out.printf("lease-aware: one day, pollingInterval %d s, shardCount %d, a worker reads a shard at %.2fx the mean"
                + " write rate%n", POLLING_INTERVAL, so.triggers().get(0).shardCount(), settings.drainRate());
        Map<ChildLeases, Map<Counting, SplitDay.Result>> results = new EnumMap<>(ChildLeases.class);
        for (ChildLeases mode : ChildLeases.values()) {
            Map<Counting, SplitDay.Result> byCount = new EnumMap<>(Counting.class);
            for (Counting c : Counting.values()) {
                long start = System.nanoTime();
                byCount.put(c, day.run(c, mode));
                out.printf("lease-aware: %s, %s: simulated in %.1f s%n", describe(mode), c.label,
                        (System.nanoTime() - start) / 1e9);
            }
            results.put(mode, byCount);
        }
        out.println();
        printTable(results, out);
        // The plot goes beside bench/RESULTS.md when run from the repository root; the CSV (about 1 MB) to a temp dir.
        Path temp = Files.createTempDirectory("bench-lease-aware");
        Path png = (Files.isDirectory(Path.of("bench")) ? Path.of("bench") : temp).resolve("lease-aware.png");
        Path csv = temp.resolve("lease-aware.csv");
        plot(results, png, settings.drainRate());
        writeCsv(results, csv);
        out.println("lease-aware: plot " + png.toAbsolutePath() + ", every poll in " + csv.toAbsolutePath());
        return figures(results);
    }

    static ScaledObjectConfig scaledObject() throws IOException {
        Path file = Files.createTempDirectory("bench-lease-aware").resolve("scaledobject.yaml");
        Files.writeString(file, SCALED_OBJECT);
        LoadResult loaded = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));
        if (!loaded.ok() || loaded.scaledObjects().size() != 1) {
            throw new IllegalStateException("the bench's ScaledObject does not load: " + loaded.errors());
        }
        return loaded.scaledObjects().get(0);
    }

    static String describe(ChildLeases mode) {
        return mode == ChildLeases.AT_PARENT_END ? "child leases at the parent's SHARD_END (KCL 2.x/3.x)"
                : "child leases as soon as listed (a full shard sync)";
    }

    static void printTable(Map<ChildLeases, Map<Counting, SplitDay.Result>> results, PrintStream out) {
        out.println("| child leases | count | replica-hours | vs KEDA | peak replicas | shard-hours waiting for a worker | longest wait |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        results.forEach((mode, byCount) -> {
            double keda = byCount.get(Counting.KEDA).replicaHours();
            byCount.values().forEach(r -> out.printf("| %s | %s | %.1f | %s | %d | %.2f | %.0f s |%n",
                    mode == ChildLeases.AT_PARENT_END ? "at parent end (KCL 2.x/3.x)" : "when listed",
                    r.counting().label, r.replicaHours(),
                    r.counting() == Counting.KEDA ? "-" : String.format("%+.0f %%", 100 * (r.replicaHours() / keda - 1)),
                    r.peakReplicas(), r.waitingShardHours(), r.longestWaitSeconds()));
        });
    }

    static List<Figure> figures(Map<ChildLeases, Map<Counting, SplitDay.Result>> results) {
        List<Figure> figures = new ArrayList<>();
        results.forEach((mode, byCount) -> {
            String m = mode == ChildLeases.AT_PARENT_END ? "KCL 2.x/3.x leases" : "leases when listed";
            double keda = byCount.get(Counting.KEDA).replicaHours();
            for (SplitDay.Result r : byCount.values()) {
                String cost = String.format("%.1f", r.replicaHours()) + (r.counting() == Counting.KEDA ? ""
                        : String.format(" (%+.0f %% vs KEDA)", 100 * (r.replicaHours() / keda - 1)));
                figures.add(Figure.info(15, "lease-aware, " + m + ": replica-hours, " + r.counting().label, cost));
                String waited = String.format("%.2f h (longest %.0f s)", r.waitingShardHours(), r.longestWaitSeconds());
                figures.add(r.counting() == Counting.LEASE_AWARE
                        ? new Figure(15, "lease-aware, " + m + ": shard-hours waiting for a worker, " + r.counting().label,
                        waited, "0", Figure.Verdict.of(r.waitingShardHours() == 0))
                        : Figure.info(15, "lease-aware, " + m + ": shard-hours waiting for a worker, " + r.counting().label,
                        waited));
            }
        });
        return figures;
    }

    /**
     * Three panels of the measured day: every count with KEDA's (child leases at the parent's end, KCL 2.x/3.x), then
     * open-only against lease-aware without KEDA's scale, for each way of creating child leases, with the shards that
     * waited for a worker at each poll.
     */
    static void plot(Map<ChildLeases, Map<Counting, SplitDay.Result>> results, Path png, double drainRate)
            throws IOException {
        Color grey = new Color(150, 150, 150);
        Color keda = new Color(214, 39, 40);
        Color open = new Color(255, 127, 14);
        Color lease = new Color(31, 119, 180);
        List<LinePlot.Panel> panels = new ArrayList<>();
        Map<Counting, SplitDay.Result> kcl2 = results.get(ChildLeases.AT_PARENT_END);
        List<SplitDay.Point> shards = kcl2.get(Counting.KEDA).points();
        panels.add(new LinePlot.Panel("Every count, " + describe(ChildLeases.AT_PARENT_END), "shards / replicas", List.of(
                series("listed shards (KEDA's metric)", grey, true, shards, SplitDay.Point::total),
                series("replicas, " + Counting.KEDA.label, keda, false, kcl2.get(Counting.KEDA).points(),
                        SplitDay.Point::replicas),
                series("replicas, " + Counting.OPEN_ONLY.label, open, false, kcl2.get(Counting.OPEN_ONLY).points(),
                        SplitDay.Point::replicas),
                series("replicas, " + Counting.LEASE_AWARE.label, lease, false, kcl2.get(Counting.LEASE_AWARE).points(),
                        SplitDay.Point::replicas))));
        for (var e : results.entrySet()) {
            Map<Counting, SplitDay.Result> byCount = e.getValue();
            panels.add(new LinePlot.Panel("Open-only and lease-aware, " + describe(e.getKey()), "shards / replicas",
                    List.of(series("open shards (open-only's metric)", grey, true, shards, SplitDay.Point::open),
                            series("shards with work left (lease-aware's metric)", lease, true,
                                    byCount.get(Counting.LEASE_AWARE).points(), SplitDay.Point::metric),
                            series("replicas, " + Counting.OPEN_ONLY.label, open, false,
                                    byCount.get(Counting.OPEN_ONLY).points(), SplitDay.Point::replicas),
                            series("replicas, " + Counting.LEASE_AWARE.label, lease, false,
                                    byCount.get(Counting.LEASE_AWARE).points(), SplitDay.Point::replicas),
                            series("shards waiting for a worker, open-only", new Color(140, 86, 75), false,
                                    byCount.get(Counting.OPEN_ONLY).points(), SplitDay.Point::waiting),
                            series("shards waiting for a worker, lease-aware", new Color(44, 160, 44), false,
                                    byCount.get(Counting.LEASE_AWARE).points(), SplitDay.Point::waiting))));
        }
        LinePlot.write(png, String.format("A simulated day of splits, after a first one (shardCount 2; a worker reads"
                + " a shard at %.2fx the mean write rate)", drainRate), "hour of the day", 24, 2, panels);
    }

    private static LinePlot.Series series(String name, Color color, boolean dashed, List<SplitDay.Point> points,
                                          java.util.function.ToIntFunction<SplitDay.Point> y) {
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            xs[i] = points.get(i).seconds() / 3600.0;
            ys[i] = y.applyAsInt(points.get(i));
        }
        return new LinePlot.Series(name, color, dashed, xs, ys);
    }

    static void writeCsv(Map<ChildLeases, Map<Counting, SplitDay.Result>> results, Path csv) throws IOException {
        StringBuilder s = new StringBuilder("childLeases,count,seconds,listed,open,metric,replicas,waiting\n");
        results.forEach((mode, byCount) -> byCount.values().forEach(r -> r.points().forEach(p -> s.append(mode)
                .append(',').append(r.counting()).append(',').append(p.seconds()).append(',').append(p.total())
                .append(',').append(p.open()).append(',').append(p.metric()).append(',').append(p.replicas())
                .append(',').append(p.waiting()).append('\n'))));
        Files.writeString(csv, s);
    }
}
