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
import java.util.stream.Stream;

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
        LocalCluster cluster = settings.localCluster() == null ? null : LocalCluster.open(settings.localCluster());
        try {
            for (Fleet fleet : FLEETS) {
                if (fleet.scaledObjects() > settings.scaledObjects()) {
                    out.printf("scale [%s]: skipped (--scaled-objects %d)%n", fleet.name(), settings.scaledObjects());
                    continue;
                }
                if (cluster != null && fleet.throttled()) {
                    // It measures the AWS budget, which the API server does not change.
                    out.printf("scale [%s]: skipped on the local cluster (an AWS-side row)%n", fleet.name());
                    continue;
                }
                figures.addAll(runFleet(fleet, settings, cluster, out));
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        return figures;
    }

    private List<Figure> runFleet(Fleet f, BenchSettings settings, LocalCluster cluster, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("bench-scale");
        out.printf("scale [%s]: creating %d tables and Deployments in %s%n", f.name(), f.scaledObjects(),
                cluster == null ? "the simulators" : "the AWS simulator and on the local cluster's API server");
        Instant creating = Instant.now();
        try (SimulatedFleet fleet = new SimulatedFleet(work, f.scaledObjects(), POLLING_INTERVAL, 2, false, 2, 1,
                f.regions(), f.accounts(), cluster)) {
            out.printf("scale [%s]: fleet ready in %.1f s%n", f.name(), Duration.between(creating, Instant.now()).toMillis() / 1000.0);
            if (f.throttled()) {
                fleet.aws.faults().rateLimit("DescribeStream", AWS_DESCRIBE_STREAM_PER_SECOND, 10, "LimitExceededException");
            }
            ProcStatus apiBefore = cluster == null ? null : ProcStatus.read(cluster.apiServerPid());
            List<ProcStatus> apiSamples = new ArrayList<>();
            List<Double> loads = new ArrayList<>();
            try (ExternalAgent agent = ExternalAgent.start(AgentJar.launch(settings, fleet, work,
                    java.util.stream.Stream.concat(Stream.of(f.heap()), settings.agentJvmFlags().stream()).toList()))) {
                out.printf("scale [%s]: agent pid %d, %d s (log %s)%n", f.name(), agent.pid(), settings.scaleDuration().toSeconds(),
                        agent.logFile());
                List<AgentSample> samples = new ArrayList<>();
                Instant end = agent.startedAt().plus(settings.scaleDuration());
                while (agent.isAlive() && Instant.now().isBefore(end)) {
                    samples.add(AgentSample.take(agent, false));
                    if (cluster != null) {
                        apiSamples.add(ProcStatus.read(cluster.apiServerPid()));
                        loads.add(loadAverage());
                        AgentSample s = samples.get(samples.size() - 1);
                        ProcStatus a = apiSamples.get(apiSamples.size() - 1);
                        out.printf("scale [%s]: %s | API server RSS %.0f MiB CPU %.1f s | load %.2f%n", f.name(), s.line(),
                                a.rssMiB(), ClockTicks.seconds(a.cpuTicks() - apiBefore.cpuTicks()), loads.get(loads.size() - 1));
                    }
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
                List<Figure> figures = new ArrayList<>(figures(f, AwsLogReadings.of(log), AwsLogReadings.firstReads(log),
                        fleet.tables(), agent.startedAt(), agent.startedLine(), stop, last, samples, heapAfterGc,
                        logHas(agent, "cannot serve the demand")));
                if (cluster != null) {
                    ProcStatus apiAfter = ProcStatus.read(cluster.apiServerPid());
                    ApiAudit audit = ApiAudit.read(cluster.auditLog(), LocalCluster.agentUser(FleetYaml.NAMESPACE), agent.startedAt(), stop);
                    List<String> deployments = java.util.stream.IntStream.rangeClosed(1, f.scaledObjects())
                            .mapToObj(FleetYaml::deployment).toList();
                    figures.addAll(clusterFigures(f, AwsLogReadings.firstReads(log), fleet.tables(), agent.startedLine(),
                            agent.startedAt(), stop, audit, deployments, apiBefore, apiAfter, apiSamples, loads));
                }
                return figures;
            }
        }
    }

    /** The 1-minute load average of the machine (other work on it skews every figure). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * The figures only a real API server gives: ready -> every ScaledObject polled once (goal: within pollingInterval +
     * 10 s), the agent's requests by verb (audit log), /scale reads and writes per ScaledObject per interval, LISTs,
     * the API server's CPU and RSS, and the load average of the machine during the run.
     */
    static List<Figure> clusterFigures(Fleet f, Map<String, Instant> firstReads, List<String> tables,
                                       Optional<Instant> ready, Instant start, Instant end, ApiAudit audit,
                                       List<String> deployments, ProcStatus apiBefore, ProcStatus apiAfter,
                                       List<ProcStatus> apiSamples, List<Double> loads) {
        String n = f.name() + ", real API server: ";
        List<Figure> figures = new ArrayList<>();
        long goal = POLLING_INTERVAL + 10;
        long neverRead = tables.stream().filter(t -> !firstReads.containsKey(t)).count();
        Optional<Instant> lastFirst = tables.stream().map(firstReads::get).filter(java.util.Objects::nonNull).max(Instant::compareTo);
        if (ready.isEmpty() || lastFirst.isEmpty() || neverRead > 0) {
            figures.add(new Figure(5, n + "agent ready -> every ScaledObject polled once",
                    neverRead > 0 ? neverRead + " never polled" : "agent never ready", "<= " + goal + " s", Figure.Verdict.MISSED));
        } else {
            double s = Duration.between(ready.get(), lastFirst.get()).toMillis() / 1000.0;
            figures.add(new Figure(5, n + "agent ready -> every ScaledObject polled once", String.format("%.1f s (ready at %.1f s)",
                    s, Duration.between(start, ready.get()).toMillis() / 1000.0), "<= " + goal + " s", Figure.Verdict.of(s <= goal)));
        }
        double from = ready.map(r -> Duration.between(r, end).toMillis() / 1000.0).orElse(Duration.between(start, end).toMillis() / 1000.0);
        figures.add(Figure.info(5, n + String.format("agent's requests to the API server (audit log, per s over %.0f s)", from),
                String.format("%.1f/s: %s", audit.total() / from, audit.perSecond(from))));
        Duration window = Duration.between(ready.orElse(start), end);
        int allowed = ApiAudit.allowedPerTarget(window, Duration.ofSeconds(POLLING_INTERVAL));
        String within = String.format(" in the %.0f s after ready (%d intervals)", window.toMillis() / 1000.0, allowed);
        long lists = audit.ofVerb("list");
        figures.add(new Figure(5, n + "GETs of one /scale" + within + ": most / fewest; shortest gap between two",
                String.format("%d / %d; %s", audit.maxReads(), audit.fewestReads(deployments),
                        audit.shortestReadGap().map(d -> String.format("%.1f s", d.toMillis() / 1000.0)).orElse("-")),
                "<= " + allowed, Figure.Verdict.of(audit.maxReads() <= allowed)));
        figures.add(new Figure(5, n + "writes of one /scale" + within + ": most (targets written)",
                String.format("%d (%d of %d)", audit.maxWrites(), audit.scaleWrites().size(), deployments.size()),
                "<= " + allowed, Figure.Verdict.of(audit.maxWrites() <= allowed)));
        figures.add(new Figure(5, n + "LIST requests", Long.toString(lists), "0 per poll", Figure.Verdict.of(lists == 0)));
        double run = Duration.between(start, end).toMillis() / 1000.0;
        double apiCpu = ClockTicks.seconds(apiAfter.cpuTicks() - apiBefore.cpuTicks());
        double apiPeak = Math.max(apiAfter.rssMiB(), apiSamples.stream().mapToDouble(ProcStatus::rssMiB).max().orElse(0));
        figures.add(Figure.info(5, n + String.format("API server CPU over %.0f s (of one core) / RSS at the end (peak)", run),
                String.format("%.1f s (%.0f %%) / %.0f MiB (%.0f)", apiCpu, 100 * apiCpu / run, apiAfter.rssMiB(), apiPeak)));
        if (!loads.isEmpty()) {
            figures.add(Figure.info(5, n + "load average (1 min) of the machine during the run, min / max",
                    String.format("%.1f / %.1f", loads.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                            loads.stream().mapToDouble(Double::doubleValue).max().orElse(0))));
        }
        return figures;
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
