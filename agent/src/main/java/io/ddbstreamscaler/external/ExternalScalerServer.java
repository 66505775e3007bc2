package io.ddbstreamscaler.external;

import io.ddbstreamscaler.stream.ShardCounter;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The external scaler gRPC server ({@code run --grpc-port}): KEDA's {@code externalscaler.ExternalScaler} on every
 * interface, plaintext or TLS (optionally requiring client certificates), answering from one cache of shard readings
 * over the agent's own {@link ShardCounter}, so KEDA's calls and the agent's ScaledObjects share one AWS call budget.
 * The standard health service ({@code grpc.health.v1.Health}, {@link HealthService}) answers on the same port for
 * probes. Closing it stops the server and its threads; the counter belongs to the caller and stays open.
 */
public final class ExternalScalerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalScalerServer.class);

    /** AWS counts under way at once (one per table at most, through the cache); more tables wait their turn. */
    static final int PROBE_THREADS = 4;

    private final Server server;
    private final ExecutorService handlers;
    private final ExecutorService probes;
    private final ScheduledExecutorService scheduler;
    private final HealthService health;

    private ExternalScalerServer(Server server, ExecutorService handlers, ExecutorService probes,
                                 ScheduledExecutorService scheduler, HealthService health) {
        this.server = server;
        this.health = health;
        this.handlers = handlers;
        this.probes = probes;
        this.scheduler = scheduler;
    }

    public static ExternalScalerServer start(ExternalScalerOptions options, ShardCounter counter, Clock clock)
            throws IOException {
        return start(options, counter, clock, null);
    }

    /** @param metrics where the request and cache counters go; null for none */
    public static ExternalScalerServer start(ExternalScalerOptions options, ShardCounter counter, Clock clock,
                                             MeterRegistry metrics) throws IOException {
        // Handlers parse and look up only (no blocking): a couple of threads carry 1,000 requests/s.
        ExecutorService handlers = Executors.newFixedThreadPool(2, daemon("grpc-handler"));
        ExecutorService probes = Executors.newFixedThreadPool(PROBE_THREADS, daemon("grpc-probe"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("grpc-stream"));
        var cache = new ReadingCache(counter, options.freshness(), clock, probes);
        var service = new ExternalScalerService(cache, new GrpcMetrics(metrics), scheduler);
        var health = new HealthService();
        Server server;
        try {
            server = Grpc.newServerBuilderForPort(options.port(), credentials(options))
                    .executor(handlers).addService(service).addService(health).build().start();
        } catch (IOException | RuntimeException e) {
            handlers.shutdownNow();
            probes.shutdownNow();
            scheduler.shutdownNow();
            throw e instanceof IOException io ? io
                    : new IOException("cannot start the external scaler API on port " + options.port() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("External scaler API (KEDA externalscaler.ExternalScaler) listening on port {} ({}), readings fresh"
                + " for {}", server.getPort(), mode(options), options.freshness());
        return new ExternalScalerServer(server, handlers, probes, scheduler, health);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        // NOT_SERVING first, so health watchers (and a probe racing the shutdown) see the server go.
        health.shutdown();
        server.shutdown();
        scheduler.shutdownNow();
        try {
            // Open StreamIsActive calls never end by themselves: give unary calls a moment, then cut the rest.
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        handlers.shutdownNow();
        probes.shutdownNow();
    }

    private static ServerCredentials credentials(ExternalScalerOptions options) throws IOException {
        if (!options.tls()) {
            return InsecureServerCredentials.create();
        }
        var tls = TlsServerCredentials.newBuilder().keyManager(options.tlsCert().toFile(), options.tlsKey().toFile());
        if (options.clientCa() != null) {
            tls.trustManager(options.clientCa().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return tls.build();
    }

    private static String mode(ExternalScalerOptions options) {
        return !options.tls() ? "plaintext" : options.clientCa() == null ? "TLS" : "TLS, client certificates required";
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
