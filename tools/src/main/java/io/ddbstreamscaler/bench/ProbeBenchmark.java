package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.IdentityOwner;
import io.ddbstreamscaler.trigger.TriggerConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe's cost per poll against the simulator, by stream size: AWS calls, CPU and wall time of the polling
 * thread, and the process CPU (the in-process simulator included, so an upper bound).
 */
public final class ProbeBenchmark implements BenchScenario {

    /** One row of the table. */
    public record Row(int shards, int awsCallsPerPoll, double probeCpuMsPerPoll, double processCpuMsPerPoll,
                      double wallMsPerPoll, double budgetSecondsPerPoll) {
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public String description() {
        return "AWS calls, CPU ms and wall ms per poll for streams of each --shards size";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) {
        List<Row> rows = measure(settings);
        print(rows, settings, out);
        return figures(rows);
    }

    /** Rows 1 and 2 of the table: calls per poll against the floor ceil(shards/100), and CPU per poll. */
    static List<Figure> figures(List<Row> rows) {
        List<Figure> figures = new ArrayList<>();
        for (Row r : rows) {
            int floor = Math.max(1, (r.shards() + PAGE_SIZE - 1) / PAGE_SIZE);
            figures.add(new Figure(1, "AWS calls/poll, " + r.shards() + " shards", Integer.toString(r.awsCallsPerPoll()),
                    "= " + floor + " (ceil(shards/100), no DescribeTable)", Figure.Verdict.of(r.awsCallsPerPoll() == floor)));
        }
        for (Row r : rows) {
            figures.add(Figure.info(2, "CPU ms/poll, " + r.shards() + " shards (probe thread / whole process)",
                    String.format("%.2f / %.2f", r.probeCpuMsPerPoll(), r.processCpuMsPerPoll())));
        }
        return figures;
    }

    /** DescribeStream's page maximum: the API's Limit is at most 100. */
    private static final int PAGE_SIZE = 100;

    public List<Row> measure(BenchSettings settings) {
        ProbeOptions defaults = ProbeOptions.defaults();
        // Measure the probe, not the budget: the budget's pacing is reported apart (budgetSecondsPerPoll).
        ProbeOptions unpaced = defaults.withBudget(1_000_000, 1_000_000);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Row> rows = new ArrayList<>();
        try (AwsSimulator sim = AwsSimulator.start();
             AwsShardCounter counter = new AwsShardCounter(unpaced,
                     StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))) {
            for (int shards : settings.shards()) {
                String table = "bench-" + shards;
                sim.state().createTable(table, shards);
                TriggerConfig trigger = trigger(table, sim);
                for (int i = 0; i < settings.warmup(); i++) {
                    counter.count(trigger);
                }
                long cpu0 = threads.getCurrentThreadCpuTime();
                long proc0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                ShardReading last = null;
                for (int i = 0; i < settings.polls(); i++) {
                    last = counter.count(trigger);
                }
                double n = settings.polls();
                rows.add(new Row(shards, last.awsCalls(),
                        (threads.getCurrentThreadCpuTime() - cpu0) / n / 1e6,
                        (os.getProcessCpuTime() - proc0) / n / 1e6,
                        (System.nanoTime() - wall0) / n / 1e6,
                        Math.max(0, last.awsCalls() - defaults.budgetBurst()) / defaults.budgetPerSecond()));
                sim.clearRequests();
            }
        }
        return rows;
    }

    static void print(List<Row> rows, BenchSettings settings, PrintStream out) {
        out.printf("probe benchmark: %d polls per row after %d warm-up polls, simulator in-process on 127.0.0.1%n",
                settings.polls(), settings.warmup());
        out.printf("%8s %14s %14s %16s %13s %18s%n", "shards", "AWS calls/poll", "probe CPU ms", "process CPU ms",
                "wall ms/poll", "budget s/poll @8/s");
        for (Row r : rows) {
            out.printf("%8d %14d %14.2f %16.2f %13.2f %18.2f%n", r.shards(), r.awsCallsPerPoll(),
                    r.probeCpuMsPerPoll(), r.processCpuMsPerPoll(), r.wallMsPerPoll(), r.budgetSecondsPerPoll());
        }
        out.println("probe CPU: the polling thread (ThreadMXBean); process CPU includes the simulator answering.");
        out.println("budget s/poll: the least time one poll spends at the default shared budget (8 calls/s, burst 4).");
    }

    private static TriggerConfig trigger(String table, AwsSimulator sim) {
        return new TriggerConfig(0, "aws-dynamodb-stream", null, MetricType.AVERAGE_VALUE, table,
                sim.state().region(), sim.endpoint(), 2, 0, IdentityOwner.OPERATOR, true,
                "s0-aws-dynamodb-streams-" + table, AwsAuth.operator());
    }
}
