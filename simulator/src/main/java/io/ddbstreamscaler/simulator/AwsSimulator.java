package io.ddbstreamscaler.simulator;

import com.sun.net.httpserver.HttpServer;
import io.ddbstreamscaler.simulator.aws.AwsHttpHandler;
import io.ddbstreamscaler.simulator.aws.AwsState;
import io.ddbstreamscaler.simulator.aws.Faults;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.ddbstreamscaler.simulator.aws.SimKclConsumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * DynamoDB, DynamoDB Streams and STS on 127.0.0.1, over the real wire protocols, so the AWS SDK is exercised end to
 * end. {@code state()} shapes tables and shards, {@code faults()} misbehaves on purpose, {@code requests()} tells
 * what was asked. Used by the integration tests, {@code demo} and {@code bench}.
 */
public final class AwsSimulator implements AutoCloseable {

    /** DynamoDB Streams keeps closed shards (their records) for 24 hours. */
    public static final Duration RETENTION = Duration.ofHours(24);

    static {
        // The JDK server writes headers and body apart; with Nagle on, the client's delayed ACK adds ~40 ms to
        // every answer, which would make every probe look slow. Read once, when the server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final AwsState state;
    private final Faults faults;
    private final AwsHttpHandler handler;
    private final ScheduledExecutorService scheduler;
    private final int port;
    private HttpServer server;
    private ExecutorService workers;

    private AwsSimulator(Clock clock, String region, int port) {
        this.state = new AwsState(clock, region, RETENTION);
        this.faults = new Faults(clock);
        this.handler = AwsHttpHandler.create(state, faults, clock);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "aws-sim-schedule"));
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    /** Starts on an ephemeral port, region us-east-1, the system clock. */
    public static AwsSimulator start() {
        return start(Clock.systemUTC(), "us-east-1", 0);
    }

    /** @param port 0 for an ephemeral one */
    public static AwsSimulator start(Clock clock, String region, int port) {
        return new AwsSimulator(clock, region, port);
    }

    /** The endpoint to give the SDK ({@code endpointOverride}, {@code awsEndpoint}, AWS_ENDPOINT_URL). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public AwsState state() {
        return state;
    }

    public Faults faults() {
        return faults;
    }

    public List<LoggedRequest> requests() {
        return handler.log();
    }

    public List<LoggedRequest> requests(String operation) {
        return handler.log().stream().filter(r -> r.operation().equals(operation)).toList();
    }

    public void clearRequests() {
        handler.clearLog();
    }

    /** The temporary access key id the last AssumeRole issued, null before one. */
    public String lastIssuedAccessKeyId() {
        return handler.lastIssuedAccessKeyId();
    }

    /** How long AssumeRole credentials last (1 h by default); short ones make the probe refresh them early. */
    public void stsSessionDuration(Duration d) {
        handler.stsSessionDuration(d);
    }

    /** Stops listening: connections are refused until {@link #resume()}, on the same port. */
    public synchronized void refuseConnections() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
        }
    }

    public synchronized void resume() {
        if (server == null) {
            server = bind(port);
        }
    }

    /**
     * Splits one open shard of {@code table} every {@code every} until it has {@code openShards} open shards
     * ("grow to K shards"); the demo's load. Cancel with the returned future.
     */
    public ScheduledFuture<?> splitEvery(String table, Duration every, int openShards) {
        long ms = Math.max(1, every.toMillis());
        return scheduler.scheduleAtFixedRate(() -> {
            if (state.stream(table).shards().stream().filter(s -> s.isOpen()).count() < openShards) {
                state.split(table, 1);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a KCL consumer fleet on {@code table}'s stream, keeping its lease table {@code leaseTable} here, stepped
     * every {@code every} on the simulator's own thread; {@code workers} says how many workers it runs (the demo: the
     * consumer Deployment's replicas).
     */
    public SimKclConsumer startKclConsumer(String table, String leaseTable, java.util.function.IntSupplier workers,
                                           SimKclConsumer.Settings settings, Duration every) {
        SimKclConsumer consumer = new SimKclConsumer(state, table, leaseTable, Clock.systemUTC(), workers, settings);
        long ms = Math.max(1, every.toMillis());
        scheduler.scheduleAtFixedRate(() -> {
            try {
                consumer.step(every);
            } catch (RuntimeException e) {
                // A table deleted under the consumer: it has nothing to read; the next step tries again.
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return consumer;
    }

    /** Expires closed shards past the retention every {@code every} (DescribeStream also expires them lazily). */
    public ScheduledFuture<?> expireEvery(Duration every) {
        long ms = Math.max(1, every.toMillis());
        return scheduler.scheduleAtFixedRate(state::expireClosedShards, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        scheduler.shutdownNow();
        refuseConnections();
    }

    private HttpServer bind(int p) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 64);
            s.createContext("/", handler);
            workers = Executors.newFixedThreadPool(4, r -> daemon(r, "aws-sim-http"));
            s.setExecutor(workers);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + p, e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
