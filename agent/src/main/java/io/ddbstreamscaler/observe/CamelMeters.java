package io.ddbstreamscaler.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The series camel-micrometer-prometheus used to add (camel.metrics.binders=jvm-memory,jvm-gc,jvm-thread,processor,uptime,
 * the route counts and app_info), with the same names and labels, bound here because that module cannot start without
 * camel-main's Vert.x management server on the classpath. Route counts are read from the context, so they are right
 * whenever this is bound; reloads are counted from then on.
 */
final class CamelMeters implements AutoCloseable {

    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final CamelContext context;
    private final EventNotifierSupport reloads;

    private CamelMeters(CamelContext context, EventNotifierSupport reloads) {
        this.context = context;
        this.reloads = reloads;
    }

    static CamelMeters bind(MeterRegistry registry, CamelContext context) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Tags routes = Tags.of("camelContext", context.getName(), "eventType", "RouteEvent", "kind", "CamelRoute");
        Gauge.builder("camel.routes.added", context, c -> c.getRoutesSize()).baseUnit("routes").tags(routes).register(registry);
        Gauge.builder("camel.routes.running", context, CamelMeters::running).baseUnit("routes").tags(routes).register(registry);
        AtomicLong reloaded = new AtomicLong();
        EventNotifierSupport reloads = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                reloaded.incrementAndGet();
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.RouteReloadedEvent;
            }
        };
        context.getManagementStrategy().addEventNotifier(reloads);
        ServiceHelper.startService(reloads);
        Gauge.builder("camel.routes.reloaded", reloaded, AtomicLong::get).baseUnit("routes").tags(routes).register(registry);
        Gauge.builder("app.info", () -> 1).tags("camel_context", context.getName(), "camel_runtime_provider", "Main",
                "camel_runtime_version", context.getVersion(), "camel_version", context.getVersion()).register(registry);
        CamelMeters meters = new CamelMeters(context, reloads);
        meters.gc.bindTo(registry);
        return meters;
    }

    private static double running(CamelContext context) {
        return context.getRoutes().stream()
                .filter(r -> context.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started).count();
    }

    @Override
    public void close() {
        gc.close();
        context.getManagementStrategy().removeEventNotifier(reloads);
        ServiceHelper.stopService(reloads);
    }
}
