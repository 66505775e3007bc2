package io.ddbstreamscaler.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Row 5, the fleet: one standalone agent (the shipped jar in its own JVM, leader election off) for large fleets, each a
 * run of its own:
 * <ul>
 *   <li>2,000 ScaledObjects over 20 regions and 10,000 over 5 regions x 10 accounts, pollingInterval 30 s, where the
 *       probe's budgets (8 calls/s per account and region) can serve the demand: threads, RSS, heap per ScaledObject,
 *       time until every ScaledObject has polled once, poll lateness p50/p99;</li>
 *   <li>1,000 on one account and region, where 33 calls/s are asked of an 8/s budget, and the simulator throttles
 *       DescribeStream past 10/s as AWS does: throttles (none), how old the readings get (evenly), and the agent's WARN.</li>
 * </ul>
 */
public final class ScaleBenchmark implements BenchScenario {

    static final int POLLING_INTERVAL = 30;
    /** AWS: "You can call DescribeStream at a maximum rate of 10 times per second" (DynamoDB Streams API reference). */
    static final double AWS_DESCRIBE_STREAM_PER_SECOND = 10;
    /** The probe's default shared budget (ProbeOptions.defaults()). */
    static final double PROBE_BUDGET_PER_SECOND = io.ddbstreamscaler.stream.ProbeOptions.defaults().budgetPerSecond();

    /**
     * One fleet run.
     *
     * @param heap      the agent's -Xmx (README "Sizing")
     * @param throttled the simulator answers LimitExceededException past AWS's 10 DescribeStream/s
     */
    record Fleet(String name, int scaledObjects, int regions, int accounts, String heap, boolean throttled) {
        double demand() {
            return scaledObjects / (double) POLLING_INTERVAL;
        }

        double budget() {
            return regions * accounts * PROBE_BUDGET_PER_SECOND;
        }
    }

    static final List<Fleet> FLEETS = List.of(
            new Fleet("2,000 / 20 regions", 2000, 20, 1, "-Xmx256m", false),
            new Fleet("10,000 / 5 regions x 10 accounts", 10_000, 5, 10, "-Xmx512m", false),
            new Fleet("1,000 / 1 account, over budget", 1000, 1, 1, "-Xmx256m", true));

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String description() {
        return "2,000 and 10,000 ScaledObjects in one agent (threads, RSS, heap per ScaledObject, first poll of all, "
                + "lateness), and 1,000 over one account's budget (reading age)";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        if (!AgentJar.usable(settings, out, name())) {
            return List.of(Figure.notRun(5, "scale", "no agent jar"));
        }
        List<Figure> figures = new ArrayList<>();
        for (Fleet fleet : FLEETS) {
            if (fleet.scaledObjects() > settings.scaledObjects()) {
                out.printf("scale [%s]: skipped (--scaled-objects %d)%n", fleet.name(), settings.scaledObjects());
                continue;
            }
            figures.addAll(runFleet(fleet, settings, out));
        }
        return figures;
    }

    private List<Figure> runFleet(Fleet f, BenchSettings settings, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("bench-scale");
        out.printf("scale [%s]: creating %d tables and Deployments in the simulators%n", f.name(), f.scaledObjects());
        try (SimulatedFleet fleet = new SimulatedFleet(work, f.scaledObjects(), POLLING_INTERVAL, 2, false, 2, 1,
                f.regions(), f.accounts())) {
            if (f.throttled()) {
                fleet.aws.faults().rateLimit("DescribeStream", AWS_DESCRIBE_STREAM_PER_SECOND, 10, "LimitExceededException");
            }
            try (ExternalAgent agent = ExternalAgent.start(AgentJar.launch(settings, fleet, work, List.of(f.heap())))) {
                out.printf("scale [%s]: agent pid %d, %d s (log %s)%n", f.name(), agent.pid(), settings.scaleDuration().toSeconds(),
                        agent.logFile());
                List<AgentSample> samples = new ArrayList<>();
                Instant end = agent.startedAt().plus(settings.scaleDuration());
                while (agent.isAlive() && Instant.now().isBefore(end)) {
                    samples.add(AgentSample.take(agent, false));
                    Waits.sleep(settings.sampleEvery());
                }
                if (!agent.isAlive()) {
                    out.println("scale: the agent stopped; its last lines:");
                    agent.tail().forEach(l -> out.println("  " + l));
                    return List.of(new Figure(5, f.name() + ": agent", "exited", "runs", Figure.Verdict.MISSED));
                }
                Instant stop = Instant.now();
                AgentSample last = AgentSample.take(agent, true);
                Optional<Double> heapAfterGc = heapAfterGc(agent, settings);
                var log = fleet.aws.requests();
                return figures(f, AwsLogReadings.of(log), AwsLogReadings.firstReads(log), fleet.tables(), agent.startedAt(),
                        agent.startedLine(), stop, last, samples, heapAfterGc, logHas(agent, "cannot serve the demand"));
            }
        }
    }

    /** Heap used after a full GC (jcmd GC.run, then the agent's jvm_memory_used_bytes{area="heap"}), MiB. */
    private static Optional<Double> heapAfterGc(ExternalAgent agent, BenchSettings settings) throws Exception {
        Jcmd jcmd = Jcmd.besides(AgentJar.java());
        if (jcmd.run(agent.pid(), "GC.run").isEmpty()) {
            return Optional.empty();
        }
        Waits.sleep(Duration.ofSeconds(1));
        return AgentSample.take(agent, true).metrics()
                .map(m -> m.sum("jvm_memory_used_bytes", Map.of("area", "heap")) / 1024 / 1024);
    }

    private static boolean logHas(ExternalAgent agent, String fragment) throws Exception {
        return Files.readAllLines(agent.logFile()).stream().anyMatch(l -> l.contains(fragment));
    }

    static List<Figure> figures(Fleet f, AwsLogReadings readings, Map<String, Instant> firstReads, List<String> tables,
                                Instant start, Optional<Instant> startedLine, Instant end, AgentSample last,
                                List<AgentSample> samples, Optional<Double> heapAfterGc, boolean warned) {
        String n = f.name() + ": ";
        List<Figure> figures = new ArrayList<>();
        double runSeconds = Duration.between(start, end).toMillis() / 1000.0;
        int maxThreads = samples.stream().mapToInt(s -> s.proc().threads()).max().orElse(last.proc().threads());
        figures.add(new Figure(5, n + "threads (peak)", Integer.toString(Math.max(maxThreads, last.proc().threads())), "<= 100",
                Figure.Verdict.of(Math.max(maxThreads, last.proc().threads()) <= 100)));
        double peakRss = Math.max(last.proc().rssMiB(), samples.stream().mapToDouble(s -> s.proc().rssMiB()).max().orElse(0));
        String rssTarget = f.scaledObjects() >= 10_000 ? "<= 1024 MiB" : f.scaledObjects() >= 2000 ? "<= 400 MiB" : "—";
        double rssGoal = f.scaledObjects() >= 10_000 ? 1024 : f.scaledObjects() >= 2000 ? 400 : Double.MAX_VALUE;
        figures.add(new Figure(5, n + "RSS at the end (peak), " + f.heap(), String.format("%.0f MiB (%.0f)", last.proc().rssMiB(), peakRss),
                rssTarget, rssGoal == Double.MAX_VALUE ? Figure.Verdict.INFO : Figure.Verdict.of(peakRss <= rssGoal)));
        heapAfterGc.ifPresent(h -> figures.add(Figure.info(5, n + "heap after a full GC / per ScaledObject",
                String.format("%.1f MiB / %.1f KiB", h, h * 1024 / f.scaledObjects()))));
        long neverRead = readings.neverRead(tables);
        Optional<Instant> lastFirst = tables.stream().map(firstReads::get).filter(java.util.Objects::nonNull).max(Instant::compareTo);
        Optional<Duration> started = startedLine.map(t -> Duration.between(start, t));
        if (!f.throttled()) {
            String allPolled = neverRead > 0 ? neverRead + " never polled"
                    : lastFirst.map(t -> String.format("%.1f s (agent started at %s)", Duration.between(start, t).toMillis() / 1000.0,
                    started.map(d -> String.format("%.1f s", d.toMillis() / 1000.0)).orElse("?"))).orElse("—");
            boolean met = neverRead == 0 && lastFirst.isPresent() && f.scaledObjects() >= 10_000
                    && Duration.between(start, lastFirst.get()).toSeconds() <= 30;
            figures.add(new Figure(5, n + "process start -> every ScaledObject polled once", allPolled,
                    f.scaledObjects() >= 10_000 ? "<= 30 s" : "—", f.scaledObjects() >= 10_000 ? Figure.Verdict.of(met) : Figure.Verdict.INFO));
            last.metrics().ifPresent(m -> {
                double p50 = m.sum("ddbstream_scaler_poll_lateness_seconds", Map.of("quantile", "0.5"));
                double p99 = m.sum("ddbstream_scaler_poll_lateness_seconds", Map.of("quantile", "0.99"));
                figures.add(new Figure(5, n + "poll lateness p50 / p99 (last 2 min)", String.format("%.3f s / %.3f s", p50, p99),
                        "p99 <= 1 s", Figure.Verdict.of(p99 <= 1.0)));
            });
        } else {
            figures.add(new Figure(5, n + "throttling errors (LimitExceededException answered)", Long.toString(readings.throttled()),
                    "0", Figure.Verdict.of(readings.throttled() == 0)));
            last.metrics().ifPresent(m -> {
                List<Double> ages = m.find("ddbstream_scaler_reading_age_seconds", Map.of()).stream()
                        .map(PrometheusText.Sample::value).filter(v -> !v.isNaN()).sorted().toList();
                if (!ages.isEmpty()) {
                    figures.add(Figure.info(5, n + "reading age p50 / max (ddbstream_scaler_reading_age_seconds)",
                            String.format("%.0f s / %.0f s (one round at the budget: %.0f s)", ages.get(ages.size() / 2),
                                    ages.get(ages.size() - 1), f.scaledObjects() / f.budget())));
                }
            });
            figures.add(new Figure(5, n + "WARN naming the account, demand and budget", warned ? "logged" : "absent",
                    "logged", Figure.Verdict.of(warned)));
            figures.add(Figure.info(5, n + "ScaledObjects read at least once",
                    String.format("%d of %d", f.scaledObjects() - neverRead, f.scaledObjects())));
        }
        figures.add(Figure.info(5, n + String.format("DescribeStream calls/s (demand %.1f, budget %.0f)", f.demand(), f.budget()),
                String.format("%.2f", readings.describes() / runSeconds)));
        figures.add(Figure.info(5, n + String.format("CPU over %.0f s (average of one core)", runSeconds),
                String.format("%.1f s (%.1f %%)", last.cpuSeconds(), 100 * last.cpuSeconds() / runSeconds)));
        return figures;
    }
}
