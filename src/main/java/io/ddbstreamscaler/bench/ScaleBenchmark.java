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
 * Row 5: {@code --scaled-objects} ScaledObjects (1,000) on as many tables, pollingInterval 30 s, leader election off,
 * the AWS simulator throttling DescribeStream past 10 calls/s per account (LimitExceededException, as AWS answers),
 * the shipped agent in its own JVM for {@code --duration}. Reports what AWS throttled, the oldest reading's age at the
 * end (from the simulator's log: the last successful DescribeStream of each table), CPU and RSS.
 */
public final class ScaleBenchmark implements BenchScenario {

    /** The heap of a standalone agent for a large fleet (README: "Sizing"). */
    static final String STANDALONE_HEAP = "-Xmx256m";

    static final int POLLING_INTERVAL = 30;
    /** AWS: "You can call DescribeStream at a maximum rate of 10 times per second" (DynamoDB Streams API reference). */
    static final double AWS_DESCRIBE_STREAM_PER_SECOND = 10;
    /** The probe's default shared budget (ProbeOptions.defaults()). */
    static final double PROBE_BUDGET_PER_SECOND = io.ddbstreamscaler.stream.ProbeOptions.defaults().budgetPerSecond();

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String description() {
        return "1,000 ScaledObjects at pollingInterval 30 s against DescribeStream limited to 10/s: throttles, reading age, CPU, RSS";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        if (!AgentJar.usable(settings, out, name())) {
            return List.of(Figure.notRun(5, "scale", "no agent jar"));
        }
        int n = settings.scaledObjects();
        Path work = Files.createTempDirectory("bench-scale");
        out.printf("scale: creating %d tables and %d Deployments in the simulators%n", n, n);
        try (SimulatedFleet fleet = new SimulatedFleet(work, n, POLLING_INTERVAL, 2, false, 2, 1)) {
            // burst 10: one second's worth (AWS does not publish its burst)
            fleet.aws.faults().rateLimit("DescribeStream", AWS_DESCRIBE_STREAM_PER_SECOND, 10, "LimitExceededException");
            // A standalone agent for 1,000 ScaledObjects is sized up: the image's 64 MiB heap is a sidecar's, for one or a
            // few (measured: -Xmx64m runs out of heap at about 1,000 routes once they all poll). The command line
            // wins over JAVA_TOOL_OPTIONS, so this replaces only -Xmx.
            try (ExternalAgent agent = ExternalAgent.start(AgentJar.launch(settings, fleet, work, List.of(STANDALONE_HEAP)))) {
                out.printf("scale: agent pid %d, %d ScaledObjects every %d s, %d s (log %s)%n", agent.pid(), n,
                        POLLING_INTERVAL, settings.scaleDuration().toSeconds(), agent.logFile());
                List<AgentSample> samples = sample(agent, settings, fleet, out);
                if (samples.isEmpty() || !agent.isAlive()) {
                    out.println("scale: the agent stopped; its last lines:");
                    agent.tail().forEach(l -> out.println("  " + l));
                    return List.of(new Figure(5, "scale", "agent exited", "runs", Figure.Verdict.MISSED));
                }
                Instant end = Instant.now();
                AgentSample last = AgentSample.take(agent, true);
                AwsLogReadings readings = AwsLogReadings.of(fleet.aws.requests());
                return figures(n, readings, fleet.tables(), agent.startedAt(), end, last, samples,
                        agent.startedLine().map(t -> Duration.between(agent.startedAt(), t)));
            }
        }
    }

    private static List<AgentSample> sample(ExternalAgent agent, BenchSettings settings, SimulatedFleet fleet,
                                            PrintStream out) throws Exception {
        List<AgentSample> samples = new ArrayList<>();
        Instant end = agent.startedAt().plus(settings.scaleDuration());
        Instant nextLine = Instant.now();
        while (agent.isAlive()) {
            samples.add(AgentSample.take(agent, false));
            if (!Instant.now().isBefore(nextLine)) {
                AwsLogReadings r = AwsLogReadings.of(fleet.aws.requests());
                out.printf("scale: %s  tables read %d/%d  throttled %d%n", samples.get(samples.size() - 1).line(),
                        r.lastRead().size(), fleet.yaml.count(), r.throttled());
                nextLine = Instant.now().plusSeconds(30);
            }
            Duration left = Duration.between(Instant.now(), end);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            Waits.sleep(left.compareTo(settings.sampleEvery()) < 0 ? left : settings.sampleEvery());
        }
        return samples;
    }

    static List<Figure> figures(int n, AwsLogReadings readings, List<String> tables, Instant start, Instant end,
                                AgentSample last, List<AgentSample> samples, Optional<Duration> agentStarted) {
        List<Figure> figures = new ArrayList<>();
        double runSeconds = Duration.between(start, end).toMillis() / 1000.0;
        figures.add(new Figure(5, "throttling errors (LimitExceededException answered)", Long.toString(readings.throttled()),
                "0", Figure.Verdict.of(readings.throttled() == 0)));
        last.metrics().ifPresent(m -> figures.add(Figure.info(5, "failed readings (keda_scaler_detail_errors_total)",
                String.format("%.0f", m.sum("keda_scaler_detail_errors_total", Map.of())))));
        Duration oldest = readings.oldestAge(tables, start, end);
        figures.add(new Figure(5, "oldest reading's age at the end (never read: since start)",
                String.format("%d s", oldest.toSeconds()), "<= " + 2 * POLLING_INTERVAL + " s (2 x pollingInterval)",
                // A ScaledObject never read has no reading at all: the target is missed whatever the run's length.
                Figure.Verdict.of(readings.neverRead(tables) == 0 && oldest.toSeconds() <= 2L * POLLING_INTERVAL)));
        long fresh = tables.stream().filter(t -> readings.lastRead().containsKey(t)
                && Duration.between(readings.lastRead().get(t), end).toSeconds() <= 2L * POLLING_INTERVAL).count();
        figures.add(Figure.info(5, "ScaledObjects read at least once / read in the last 60 s",
                String.format("%d / %d of %d", n - readings.neverRead(tables), fresh, n)));
        figures.add(Figure.info(5, "DescribeStream calls/s reached (demand at 30 s: " + String.format("%.1f", n / (double) POLLING_INTERVAL) + ")",
                String.format("%.2f", readings.describes() / runSeconds)));
        agentStarted.ifPresent(d -> figures.add(Figure.info(5, "process start -> 'agent started' (all routes made)",
                String.format("%.1f s", d.toMillis() / 1000.0))));
        double peak = samples.stream().mapToDouble(s -> s.proc().rssMiB()).max().orElse(0);
        figures.add(Figure.info(5, String.format("CPU over %.0f s (average of one core)", runSeconds),
                String.format("%.1f s (%.1f %%)", last.cpuSeconds(), 100 * last.cpuSeconds() / runSeconds)));
        figures.add(Figure.info(5, "RSS at the end (peak) / threads",
                String.format("%.1f MiB (%.1f) / %d", last.proc().rssMiB(), Math.max(peak, last.proc().rssMiB()),
                        last.proc().threads())));
        figures.add(Figure.info(5, "least steady-state reading age: n / budget 8/s; n / AWS 10/s",
                String.format("%.0f s; %.0f s", n / PROBE_BUDGET_PER_SECOND, n / AWS_DESCRIBE_STREAM_PER_SECOND)));
        return figures;
    }
}
