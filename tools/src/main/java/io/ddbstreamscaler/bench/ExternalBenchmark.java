package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.external.ExternalScalerOptions;
import io.ddbstreamscaler.external.ExternalScalerServer;
import io.ddbstreamscaler.external.proto.ExternalScalerGrpc;
import io.ddbstreamscaler.external.proto.GetMetricsRequest;
import io.ddbstreamscaler.external.proto.GetMetricsResponse;
import io.ddbstreamscaler.external.proto.ScaledObjectRef;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The figures of KEDA's external scaler API (bench/RESULTS.md): GetMetrics at a fixed 1,000 requests/s (open loop: each request
 * is sent at its slot whether or not the earlier ones were answered) for 100 ScaledObjects on 10 tables, through a
 * grpc-java client over loopback to the server, whose counter reads the AWS simulator in-process with the default
 * call budget. Reported: latency p50/p99, DescribeStream rounds per table per interval (from the simulator's request
 * log), process CPU and RSS (the client and the simulator run in the same JVM, so both are upper bounds).
 */
public final class ExternalBenchmark implements BenchScenario {

    static final int RATE_PER_SECOND = 1_000;
    static final int SCALED_OBJECTS = 100;
    static final int TABLES = 10;
    static final int SHARDS_PER_TABLE = 8;
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final Duration WARMUP = Duration.ofSeconds(5);
    static final Duration MEASURED = Duration.ofSeconds(30);

    /** What one run measured. */
    public record Result(int sent, int answered, int failed, double p50Ms, double p99Ms, double maxMs,
                         int describeStreamCalls, double roundsPerTablePerInterval, double shortestGapSeconds,
                         double cpuPercentOfOneCore, double serverCpuPercent, double clientCpuPercent,
                         double heapAfterGcMiB, double rssBeforeMiB, double rssAfterMiB) {
    }

    @Override
    public String name() {
        return "external";
    }

    @Override
    public String description() {
        return "KEDA external scaler API: GetMetrics p50/p99 at 1,000 req/s for 100 ScaledObjects on 10 tables,"
                + " DescribeStream rounds per table per interval, CPU, RSS (about 40 s)";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        out.printf("external benchmark: %d GetMetrics/s over %d ScaledObjects on %d tables (%d shards each),"
                        + " freshness %s, %s warm-up then %s measured; loopback, simulator in-process%n",
                RATE_PER_SECOND, SCALED_OBJECTS, TABLES, SHARDS_PER_TABLE, INTERVAL, WARMUP, MEASURED);
        Result r = measure();
        out.printf("sent %d, answered %d, failed %d; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", r.sent(),
                r.answered(), r.failed(), r.p50Ms(), r.p99Ms(), r.maxMs());
        out.printf("DescribeStream: %d calls in %s = %.2f rounds per table per %s interval; shortest gap between two"
                + " rounds of one table %.2f s%n", r.describeStreamCalls(), MEASURED, r.roundsPerTablePerInterval(),
                INTERVAL, r.shortestGapSeconds());
        out.printf("CPU %% of one core: process %.1f (JVM threads included), server threads %.1f, client threads %.1f;"
                        + " heap used after GC %.1f MiB; RSS %.0f MiB before the server, %.0f MiB after (this JVM's"
                        + " flags: run it with the shipped JAVA_TOOL_OPTIONS for the sidecar's)%n", r.cpuPercentOfOneCore(),
                r.serverCpuPercent(), r.clientCpuPercent(), r.heapAfterGcMiB(), r.rssBeforeMiB(), r.rssAfterMiB());
        out.println("server threads: gRPC handlers, its Netty event loops and the probe threads (AWS SDK calls included);"
                + " client threads: the sender and its own event loop and executor; the simulator's are in neither.");
        return figures(r);
    }

    static List<Figure> figures(Result r) {
        String load = " (" + RATE_PER_SECOND + " req/s, " + SCALED_OBJECTS + " ScaledObjects, " + TABLES + " tables)";
        double intervalSeconds = INTERVAL.toMillis() / 1000.0;
        return List.of(
                new Figure(14, "external: GetMetrics answered" + load, r.answered() + " / " + r.sent(),
                        "all, none failed", Figure.Verdict.of(r.answered() == r.sent() && r.failed() == 0)),
                Figure.info(14, "external: GetMetrics latency p50 / p99", String.format("%.2f / %.2f ms", r.p50Ms(), r.p99Ms())),
                Figure.info(14, "external: DescribeStream rounds per table per interval (mean)",
                        String.format("%.2f", r.roundsPerTablePerInterval())),
                new Figure(14, "external: shortest gap between two rounds of one table",
                        String.format("%.2f s", r.shortestGapSeconds()), String.format(">= %.0f s (one round per interval)",
                        intervalSeconds), Figure.Verdict.of(r.shortestGapSeconds() >= intervalSeconds)),
                Figure.info(14, "external: CPU, server threads / whole process (with client, simulator)",
                        String.format("%.1f / %.1f %% of a core", r.serverCpuPercent(), r.cpuPercentOfOneCore())),
                Figure.info(14, "external: heap used after GC at the end of the run",
                        String.format("%.1f MiB", r.heapAfterGcMiB())),
                Figure.info(14, "external: RSS before the server / after the run (one JVM with client, simulator)",
                        String.format("%.0f / %.0f MiB", r.rssBeforeMiB(), r.rssAfterMiB())));
    }

    public Result measure() throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long pid = ProcessHandle.current().pid();
        try (AwsSimulator sim = AwsSimulator.start();
             AwsShardCounter counter = new AwsShardCounter(ProbeOptions.defaults(),
                     StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))) {
            for (int t = 0; t < TABLES; t++) {
                sim.state().createTable("table-" + t, SHARDS_PER_TABLE);
            }
            List<ScaledObjectRef> refs = scaledObjects(sim);
            double rssBefore = ProcStatus.read(pid).rssMiB();
            try (ExternalScalerServer server = ExternalScalerServer.start(
                    new ExternalScalerOptions(0, INTERVAL, null, null, null), counter, Clock.systemUTC())) {
                // The client gets threads of its own, so that the server's CPU can be told apart by thread name.
                var clientLoop = new NioEventLoopGroup(1, named("bench-client-loop"));
                var clientExecutor = java.util.concurrent.Executors.newSingleThreadExecutor(named("bench-client-exec"));
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                        .eventLoopGroup(clientLoop).channelType(NioSocketChannel.class).executor(clientExecutor).build();
                try {
                    var stub = ExternalScalerGrpc.newStub(channel);
                    load(stub, refs, WARMUP, null);
                    sim.clearRequests();
                    Instant from = Instant.now();
                    long cpu0 = os.getProcessCpuTime();
                    Map<String, Long> threads0 = ThreadCpu.byCategory();
                    long wall0 = System.nanoTime();
                    long[] latencies = new long[(int) (RATE_PER_SECOND * MEASURED.toMillis() / 1000)];
                    AtomicInteger failed = new AtomicInteger();
                    int answered = load(stub, refs, MEASURED, new Record(latencies, failed));
                    long wall = System.nanoTime() - wall0;
                    double cpuPercent = 100.0 * (os.getProcessCpuTime() - cpu0) / wall;
                    Map<String, Long> threads1 = ThreadCpu.byCategory();
                    double serverCpu = 100.0 * ThreadCpu.delta(threads0, threads1, ThreadCpu.SERVER) / wall;
                    double clientCpu = 100.0 * ThreadCpu.delta(threads0, threads1, ThreadCpu.CLIENT) / wall;
                    List<LoggedRequest> calls = sim.requests("DescribeStream").stream()
                            .filter(c -> !c.at().isBefore(from)).toList();
                    double rssAfter = ProcStatus.read(pid).rssMiB();
                    System.gc();
                    double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
                    return result(latencies, answered, failed.get(), calls, cpuPercent, serverCpu, clientCpu, heap,
                            rssBefore, rssAfter);
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    clientExecutor.shutdownNow();
                    clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static List<ScaledObjectRef> scaledObjects(AwsSimulator sim) {
        List<ScaledObjectRef> refs = new ArrayList<>();
        for (int i = 0; i < SCALED_OBJECTS; i++) {
            refs.add(ScaledObjectRef.newBuilder().setNamespace("bench").setName("consumer-" + i)
                    .putAllScalerMetadata(Map.of("scalerAddress", "127.0.0.1", "tableName", "table-" + (i % TABLES),
                            "awsRegion", sim.state().region(), "awsEndpoint", sim.endpoint().toString(),
                            "identityOwner", "operator", "shardCount", Integer.toString(1 + i % 4)))
                    .build());
        }
        return refs;
    }

    /** Where the measured requests' latencies go; null while warming up. */
    private record Record(long[] latencies, AtomicInteger failed) {
    }

    /** Sends {@code RATE_PER_SECOND} requests a second for {@code length}, then waits for the answers; bounded. */
    private static int load(ExternalScalerGrpc.ExternalScalerStub stub, List<ScaledObjectRef> refs, Duration length,
                            Record record) throws InterruptedException {
        int total = (int) (RATE_PER_SECOND * length.toMillis() / 1000);
        long periodNanos = 1_000_000_000L / RATE_PER_SECOND;
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger answered = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long slot = start + i * periodNanos;
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            ScaledObjectRef ref = refs.get(i % refs.size());
            GetMetricsRequest request = GetMetricsRequest.newBuilder().setScaledObjectRef(ref)
                    .setMetricName("aws-dynamodb-streams-" + ref.getScalerMetadataMap().get("tableName")).build();
            // Latency from the slot, not from the send: a sender that fell behind must not hide queueing.
            stub.withDeadlineAfter(30, TimeUnit.SECONDS).getMetrics(request, new StreamObserver<>() {
                public void onNext(GetMetricsResponse r) {
                    if (record != null) {
                        record.latencies()[index] = System.nanoTime() - slot;
                    }
                    answered.incrementAndGet();
                }

                public void onError(Throwable t) {
                    if (record != null) {
                        record.failed().incrementAndGet();
                    }
                    done.countDown();
                }

                public void onCompleted() {
                    done.countDown();
                }
            });
        }
        done.await(60, TimeUnit.SECONDS);
        return answered.get();
    }

    static Result result(long[] latencies, int answered, int failed, List<LoggedRequest> describeStream,
                         double cpuPercent, double serverCpu, double clientCpu, double heap, double rssBefore,
                         double rssAfter) {
        long[] ok = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        Map<String, List<Instant>> byStream = describeStream.stream().collect(Collectors.groupingBy(
                LoggedRequest::resource, Collectors.mapping(LoggedRequest::at, Collectors.toList())));
        double shortestGap = byStream.values().stream().mapToDouble(ExternalBenchmark::shortestGapSeconds).min()
                .orElse(Double.NaN);
        double intervals = (double) MEASURED.toMillis() / INTERVAL.toMillis();
        return new Result(latencies.length, answered, failed, percentileMs(ok, 0.50), percentileMs(ok, 0.99),
                ok.length == 0 ? Double.NaN : ok[ok.length - 1] / 1e6, describeStream.size(),
                describeStream.size() / (TABLES * intervals), shortestGap, cpuPercent, serverCpu, clientCpu, heap,
                rssBefore, rssAfter);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Nearest-rank percentile of sorted nanoseconds, in ms. */
    static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    static double shortestGapSeconds(List<Instant> times) {
        List<Instant> sorted = times.stream().sorted().toList();
        double shortest = Double.POSITIVE_INFINITY;
        for (int i = 1; i < sorted.size(); i++) {
            shortest = Math.min(shortest, Duration.between(sorted.get(i - 1), sorted.get(i)).toNanos() / 1e9);
        }
        return shortest;
    }
}
