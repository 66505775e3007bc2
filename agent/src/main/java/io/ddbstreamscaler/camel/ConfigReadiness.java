package io.ddbstreamscaler.camel;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness: the configuration has been loaded and the routes started. AWS and Kubernetes failures show in metrics and
 * logs, never here: a sidecar's readiness gates its consumer's pod, and a restart would fix nothing.
 */
public final class ConfigReadiness extends AbstractHealthCheck {

    private volatile boolean loaded;

    public ConfigReadiness() {
        super("ddbstream-scaler", "config");
    }

    void loaded() {
        loaded = true;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (loaded) {
            builder.up();
        } else {
            builder.message("trigger configuration and routes not loaded yet").down();
        }
    }
}
