package io.ddbstreamscaler.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The management port on the JDK's HTTP server: what camel-main's management server served (same paths, bodies,
 * status codes and content types, checked against camel-main 4.18 with {@code camel.health.exposureLevel=oneline}),
 * without Vert.x and its Netty, event loops and worker pool (about 1,400 classes and up to 24 threads in a sidecar).
 * <ul>
 *   <li>{@code /observe/metrics}: the agent's registry in Prometheus text format 0.0.4;</li>
 *   <li>{@code /observe/health}, {@code /observe/health/live}, {@code /observe/health/ready}: Camel's health checks
 *       (the agent's own and Camel's) through {@link HealthCheckHelper}, {@code {"status":"UP"}} 200 or
 *       {@code {"status":"DOWN"}} 503;</li>
 *   <li>{@code /observe/status}: whatever JSON the agent's supplier gives.</li>
 * </ul>
 * One request thread: a scrape every few seconds and two probes are all a sidecar's port ever sees.
 */
public final class ManagementServer implements AutoCloseable {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String JSON = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.management");

    private final HttpServer server;
    private final ExecutorService executor;
    private final CamelMeters camelMeters;

    private ManagementServer(HttpServer server, ExecutorService executor, CamelMeters camelMeters) {
        this.server = server;
        this.executor = executor;
        this.camelMeters = camelMeters;
    }

    /** The port cannot be listened on (taken, or not allowed): one line that says which and what to do. */
    public static final class PortUnavailable extends RuntimeException {
        PortUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The port, bound but not yet answering: bound before Camel starts, so that a taken port stops the agent before
     * its first poll (nothing is read or written) instead of after it.
     */
    public static final class Bound {
        private final HttpServer server;

        private Bound(HttpServer server) {
            this.server = server;
        }

        public int port() {
            return server.getAddress().getPort();
        }

        /** Serves the paths (see the class comment) from now on. */
        public ManagementServer serve(PrometheusMeterRegistry registry, CamelContext context, Supplier<String> statusJson) {
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "management-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> ManagementServer.serve(exchange, registry, context, statusJson));
            CamelMeters camelMeters = CamelMeters.bind(registry, context);
            server.start();
            return new ManagementServer(server, executor, camelMeters);
        }

        /** Gives the port back without serving (the agent failed to start after binding). */
        public void release() {
            server.stop(0);
        }
    }

    /**
     * @param port the port to bind on every interface; 0 picks a free one (see {@link Bound#port()})
     * @throws PortUnavailable when it cannot be bound
     */
    public static Bound bind(int port) {
        try {
            return new Bound(HttpServer.create(new InetSocketAddress(port), 16));
        } catch (IOException e) {
            throw new PortUnavailable("management port " + port + " cannot be listened on (" + e.getMessage()
                    + "): stop what listens there, or choose another with --management-port N"
                    + " (SCALER_MANAGEMENT_PORT; -1 serves none)", e);
        }
    }

    /**
     * @param port       the port to bind on every interface; 0 picks a free one (see {@link #port()})
     * @param registry   the agent's registry; the JVM and Camel series are bound to it here (see {@link CamelMeters})
     * @param statusJson the body of /observe/status, a JSON document
     */
    public static ManagementServer start(int port, PrometheusMeterRegistry registry, CamelContext context,
                                         Supplier<String> statusJson) {
        return bind(port).serve(registry, context, statusJson);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry, CamelContext context,
                              Supplier<String> statusJson) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Response response = respond(exchange.getRequestURI().getPath(), registry, context, statusJson);
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (RuntimeException e) {
            // A scrape or a probe must never take the server thread down; the caller sees a 500 or a reset.
            LOG.warn("management server: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    record Response(int status, String contentType, String body) {
    }

    static Response respond(String path, PrometheusMeterRegistry registry, CamelContext context, Supplier<String> statusJson) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return switch (p) {
            case "/observe/metrics" -> new Response(200, PROMETHEUS_TEXT, registry.scrape());
            case "/observe/health" -> health(HealthCheckHelper.invoke(context, level(context)), false);
            case "/observe/health/live" -> health(HealthCheckHelper.invokeLiveness(context, level(context)), false);
            case "/observe/health/ready" -> health(HealthCheckHelper.invokeReadiness(context, level(context)), true);
            case "/observe/status" -> new Response(200, JSON, statusJson.get());
            default -> new Response(404, null, "");
        };
    }

    /** The configured exposure level (camel.health.exposureLevel), passed on as camel-main's server does. */
    private static String level(CamelContext context) {
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        return checks == null ? null : checks.getExposureLevel();
    }

    /** As camel-main's server answers with exposureLevel=oneline; readiness counts UNKNOWN as down, as Camel does. */
    private static Response health(Collection<HealthCheck.Result> results, boolean readiness) {
        boolean up = HealthCheckHelper.isResultsUp(results, readiness);
        return new Response(up ? 200 : 503, JSON, up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        camelMeters.close();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
