package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.bench.keda.AuditCounts;
import io.ddbstreamscaler.bench.keda.FleetRun;
import io.ddbstreamscaler.bench.keda.KedaBed;
import io.ddbstreamscaler.bench.keda.LocalCluster;
import io.ddbstreamscaler.bench.keda.ReplicaPlot;
import io.ddbstreamscaler.bench.keda.ReplicaRecorder.Point;
import io.ddbstreamscaler.bench.keda.TwinCase;
import io.ddbstreamscaler.bench.keda.TwinCases;
import io.ddbstreamscaler.bench.keda.TwinManifests;
import io.ddbstreamscaler.bench.keda.TwinsRun;
import io.ddbstreamscaler.bench.keda.TwinsRun.CaseOutcome;
import io.ddbstreamscaler.bench.keda.TwinsRun.StepMark;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code bench --scenario versus-keda}: KEDA v2.20.2 itself beside the agent, on the local control plane of
 * scripts/cluster (docs/local-cluster.md). First the side-by-side cases ({@link TwinCases}, the ones the conformance
 * suite runs): twin Deployments on the same streams, one scaled by KEDA's own aws-dynamodb-streams scaler and the HPA,
 * one by the agent; the replica counts over time (a table and bench/versus-keda.png), the time from each change on AWS
 * to each twin's next count, AWS calls per table per interval told apart by access key, API server requests per
 * ScaledObject from the audit log. Then the footprint: RSS and CPU of KEDA's operator plus adapter against the
 * agent's, at 1, 100 and 1,000 ScaledObjects on each side.
 */
public final class VersusKedaBenchmark implements BenchScenario {

    /** This scenario's rows in the table of figures. */
    static final int ROW = 15;
    static final List<Integer> LEVELS = List.of(1, 100, 1_000);
    static final Duration FLEET_WINDOW = Duration.ofSeconds(120);
    /** start.sh's Nodes (110 Pods each) for the twins; the fleet adds two large Nodes of its own. */
    static final int NODES = 3;
    private static final Pattern POLLING_INTERVAL = Pattern.compile("pollingInterval: (\\d+)");

    @Override
    public String name() {
        return "versus-keda";
    }

    @Override
    public String description() {
        return "KEDA v2.20.2 itself beside the agent on a local control plane: the same streams, twin Deployments (13"
                + " cases), reaction, AWS and API calls; RSS and CPU at 1, 100, 1,000 ScaledObjects (about 30 min;"
                + " needs bash scripts/cluster/build.sh --keda)";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        var missing = LocalCluster.missing(repo);
        if (missing.isPresent()) {
            out.println(name() + ": skipped: " + missing.get());
            return List.of(Figure.notRun(ROW, name(), missing.get()));
        }
        if (!AgentJar.usable(settings, out, name())) {
            return List.of(Figure.notRun(ROW, name(), "no agent jar"));
        }
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "ddbss-keda-bench");
        LocalCluster cluster = new LocalCluster(repo, work.resolve("cluster"), LocalCluster.Ports.KEDA_TESTS, NODES);
        List<Figure> figures = new ArrayList<>();
        try (KedaBed bed = KedaBed.start(cluster, out)) {
            TwinsRun twins = new TwinsRun(bed, settings.agentJar(), Files.createDirectories(work.resolve("twins")), out);
            TwinsRun.Result result = twins.run(TwinCases.all());
            twins.cleanUp(TwinCases.all());
            Path png = Files.isDirectory(repo.resolve("bench")) ? repo.resolve("bench/versus-keda.png")
                    : work.resolve("versus-keda.png");
            ReplicaPlot.write(result.outcomes(), "Replicas over time: KEDA+HPA's twin and the agent's twin, same stream,"
                    + " same ScaledObject", png);
            out.println("plot: " + png);
            printTimelines(result, out);
            figures.addAll(trajectories(result));
            figures.addAll(reactions(result, out));
            figures.addAll(awsCalls(result, bed, out));
            figures.addAll(apiRequests(result, bed));

            // The fleet stays until the cluster stops: the next run starts a new one.
            List<Integer> levels = LEVELS.stream().filter(n -> n <= settings.scaledObjects()).toList();
            FleetRun fleet = new FleetRun(bed, settings.agentJar(), Files.createDirectories(work.resolve("fleet")), out);
            figures.addAll(footprint(fleet.run(levels, FLEET_WINDOW)));
        }
        return figures;
    }

    /** Each case's counts as seen, with seconds since the case began: the table beside the plot. */
    static void printTimelines(TwinsRun.Result result, PrintStream out) {
        out.println();
        out.println("Replica counts over time (s since the case began: count), agent's twin and KEDA's twin:");
        for (CaseOutcome o : result.outcomes()) {
            out.printf("  %-26s agent %s%n", o.twinCase().name(), timeline(o.agent(), o.start()));
            out.printf("  %-26s KEDA  %s%n", "", timeline(o.keda(), o.start()));
            out.printf("  %-26s steps %s%n", "", o.marks().stream()
                    .map(m -> String.format("%.0f s %s", seconds(o.start(), m.at()), m.label()))
                    .collect(Collectors.joining("; ")));
        }
    }

    private static String timeline(List<Point> points, Instant start) {
        return points.stream().map(p -> String.format("%.0f:%d", Math.max(0, seconds(start, p.at())), p.replicas()))
                .collect(Collectors.joining(" "));
    }

    static List<Figure> trajectories(TwinsRun.Result result) {
        List<Figure> figures = new ArrayList<>();
        for (CaseOutcome o : result.outcomes()) {
            String value = "agent " + arrows(o.agentSequence()) + " / KEDA " + arrows(o.kedaSequence());
            String intended = o.twinCase().difference();
            if (o.failure() != null) {
                figures.add(new Figure(ROW, "trajectory " + o.twinCase().name(), value, "equal (" + o.failure() + ")",
                        Figure.Verdict.MISSED));
            } else if (intended == null) {
                figures.add(new Figure(ROW, "trajectory " + o.twinCase().name(), value, "equal",
                        Figure.Verdict.of(o.agentSequence().equals(o.kedaSequence()))));
            } else {
                figures.add(Figure.info(ROW, "trajectory " + o.twinCase().name() + " (a named difference)", value));
            }
        }
        return figures;
    }

    /** One twin's reaction to one step: the time from the change to the twin's next count. */
    record Reaction(String caseName, String step, int pollingInterval, Double agentSeconds, Double kedaSeconds) {
    }

    static List<Figure> reactions(TwinsRun.Result result, PrintStream out) {
        List<Reaction> all = new ArrayList<>();
        for (CaseOutcome o : result.outcomes()) {
            for (StepMark m : o.marks()) {
                if (m.op() instanceof TwinCase.Op.Start) {
                    continue;
                }
                all.add(new Reaction(o.twinCase().name(), m.label(), pollingInterval(o.twinCase()),
                        firstChangeAfter(o.agent(), m.at()), firstChangeAfter(o.keda(), m.at())));
            }
        }
        out.println();
        out.println("Time from a change on AWS (or to the ScaledObject) to each twin's next count, s:");
        out.printf("  %-26s %-58s %8s %8s%n", "case", "step", "agent", "KEDA");
        for (Reaction r : all) {
            out.printf("  %-26s %-58s %8s %8s%n", r.caseName(), r.step(), format(r.agentSeconds()),
                    format(r.kedaSeconds()));
        }
        List<Figure> figures = new ArrayList<>();
        for (int interval : new int[] {5, 30}) {
            List<Reaction> splits = all.stream().filter(r -> r.pollingInterval() == interval)
                    .filter(r -> r.step().startsWith("split")).filter(r -> r.agentSeconds() != null && r.kedaSeconds() != null)
                    .toList();
            if (splits.isEmpty()) {
                continue;
            }
            List<Double> agent = splits.stream().map(Reaction::agentSeconds).sorted().toList();
            List<Double> keda = splits.stream().map(Reaction::kedaSeconds).sorted().toList();
            long noLater = splits.stream().filter(r -> r.agentSeconds() <= r.kedaSeconds()).count();
            figures.add(Figure.info(ROW, "split -> next count, pollingInterval " + interval + " s, agent median / max",
                    String.format("%.1f / %.1f s (%d splits)", median(agent), agent.get(agent.size() - 1), agent.size())));
            figures.add(Figure.info(ROW, "split -> next count, pollingInterval " + interval + " s, KEDA+HPA median / max",
                    String.format("%.1f / %.1f s", median(keda), keda.get(keda.size() - 1))));
            figures.add(new Figure(ROW, "split -> next count, pollingInterval " + interval + " s, agent no later",
                    noLater + " of " + splits.size() + " splits", "all (KEDA: pollingInterval + 15 s HPA sync)",
                    Figure.Verdict.of(noLater == splits.size())));
        }
        return figures;
    }

    /**
     * DescribeTable + DescribeStream per case, per pollingInterval, by side. The spec's role example signs with
     * temporary keys: each is the agent's or KEDA's by which caller's AssumeRole issued it (the simulator numbers the
     * keys it issues in order, ASIASIM0...1, 2, ...).
     */
    static List<Figure> awsCalls(TwinsRun.Result result, KedaBed bed, PrintStream out) {
        Map<String, String> issuedTo = new TreeMap<>();
        List<LoggedRequest> assumed = bed.sts().requests("AssumeRole").stream().filter(LoggedRequest::succeeded).toList();
        for (int i = 0; i < assumed.size(); i++) {
            String side = KedaBed.KEDA_OPERATOR_KEY.equals(assumed.get(i).accessKeyId()) ? "keda" : "agent";
            issuedTo.put(String.format("ASIASIM%013d", i + 1), side);
        }
        Set<String> kedaKeys = Set.of(TwinManifests.KEDA_TWIN_KEY, TwinManifests.KEDA_SPEC_EXAMPLE_KEY);
        Set<String> agentKeys = Set.of(TwinManifests.AGENT_TWIN_KEY, TwinManifests.SPEC_EXAMPLE_KEY);
        out.println();
        out.println("AWS calls per table per pollingInterval (DescribeTable + DescribeStream), by access key:");
        List<Figure> figures = new ArrayList<>();
        double kedaSum = 0;
        double agentSum = 0;
        int cases = 0;
        for (CaseOutcome o : result.outcomes()) {
            double intervals = seconds(o.start(), o.end()) / pollingInterval(o.twinCase());
            long keda = 0;
            long agent = 0;
            long kedaTable = 0;
            long agentTable = 0;
            for (LoggedRequest r : o.aws()) {
                String key = r.accessKeyId();
                boolean isKeda = kedaKeys.contains(key) || "keda".equals(issuedTo.get(key));
                boolean isAgent = agentKeys.contains(key) || "agent".equals(issuedTo.get(key));
                if (isKeda) {
                    keda++;
                    kedaTable += r.operation().equals("DescribeTable") ? 1 : 0;
                } else if (isAgent) {
                    agent++;
                    agentTable += r.operation().equals("DescribeTable") ? 1 : 0;
                }
            }
            out.printf("  %-26s agent %5.2f (%d calls, %d DescribeTable)  KEDA %5.2f (%d calls, %d DescribeTable)"
                            + " over %.0f intervals%n", o.twinCase().name(), agent / intervals, agent, agentTable,
                    keda / intervals, keda, kedaTable, intervals);
            if (o.twinCase().difference() == null) {
                kedaSum += keda / intervals;
                agentSum += agent / intervals;
                cases++;
            }
        }
        figures.add(new Figure(ROW, "AWS calls per table per pollingInterval, agent / KEDA (mean of " + cases + " cases)",
                String.format("%.2f / %.2f", agentSum / cases, kedaSum / cases), "agent <= KEDA",
                Figure.Verdict.of(agentSum <= kedaSum)));
        return figures;
    }

    static List<Figure> apiRequests(TwinsRun.Result result, KedaBed bed) throws java.io.IOException {
        AuditCounts audit = AuditCounts.read(bed.cluster().auditLog(), result.start(), result.end());
        double minutes = seconds(result.start(), result.end()) / 60;
        int n = result.outcomes().size();
        return List.of(
                Figure.info(ROW, "API requests per ScaledObject per minute, twins run: agent",
                        String.format("%.1f", audit.agent() / minutes / n)),
                Figure.info(ROW, "API requests per ScaledObject per minute, twins run: KEDA operator / adapter / HPA",
                        String.format("%.1f / %.1f / %.1f", audit.of(AuditCounts.KEDA_OPERATOR) / minutes / n,
                                audit.of(AuditCounts.KEDA_ADAPTER) / minutes / n,
                                audit.of(AuditCounts.HPA_CONTROLLER) / minutes / n)));
    }

    static List<Figure> footprint(List<FleetRun.Level> levels) {
        List<Figure> figures = new ArrayList<>();
        for (FleetRun.Level l : levels) {
            String at = String.format("%,d ScaledObjects", l.scaledObjects());
            double window = l.window().toMillis() / 1000.0;
            boolean goal = l.scaledObjects() == 1_000;
            figures.add(new Figure(ROW, "RSS at " + at + ": agent / KEDA operator + adapter",
                    String.format("%.0f / %.0f MiB (max %.0f / %.0f)", l.agent().rssMiBAtEnd(), l.keda().rssMiBAtEnd(),
                            l.agent().rssMiBMax(), l.keda().rssMiBMax()),
                    goal ? "agent <= KEDA" : "-",
                    goal ? Figure.Verdict.of(l.agent().rssMiBAtEnd() <= l.keda().rssMiBAtEnd()) : Figure.Verdict.INFO));
            figures.add(Figure.info(ROW, "CPU at " + at + ": agent / KEDA operator + adapter (% of a core)",
                    String.format("%.1f / %.1f %%", 100 * ClockTicks.seconds(l.agent().cpuTicks()) / window,
                            100 * ClockTicks.seconds(l.keda().cpuTicks()) / window)));
            figures.add(new Figure(ROW, "AWS calls per ScaledObject per interval at " + at + ": agent / KEDA",
                    String.format("%.2f / %.2f", l.perObjectPerInterval(l.agentCalls()), l.perObjectPerInterval(l.kedaCalls())),
                    "agent <= KEDA", Figure.Verdict.of(l.agentCalls() <= l.kedaCalls())));
            figures.add(Figure.info(ROW, "API requests per ScaledObject per interval at " + at
                            + ": agent / KEDA operator + adapter + HPA controller",
                    String.format("%.2f / %.2f", l.perObjectPerInterval(l.audit().agent()),
                            l.perObjectPerInterval(l.audit().keda()))));
            figures.add(Figure.info(ROW, "agent's oldest reading at " + at,
                    l.agentReadingAge() < 0 ? "n/a" : String.format("%.0f s", l.agentReadingAge())));
        }
        return figures;
    }

    static Double firstChangeAfter(List<Point> points, Instant at) {
        Integer before = null;
        for (Point p : points) {
            if (!p.at().isAfter(at)) {
                before = p.replicas();
                continue;
            }
            if (before == null || p.replicas() != before) {
                return seconds(at, p.at());
            }
        }
        return null;
    }

    static int pollingInterval(TwinCase c) {
        Matcher m = POLLING_INTERVAL.matcher(c.spec());
        return m.find() ? Integer.parseInt(m.group(1)) : 30;
    }

    private static String arrows(List<Integer> sequence) {
        return sequence.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(Double s) {
        return s == null ? "-" : String.format("%.1f", s);
    }
}
