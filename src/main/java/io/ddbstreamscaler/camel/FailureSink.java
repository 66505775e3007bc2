package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.KubeErrors;
import io.ddbstreamscaler.scale.ScaleException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The routes' error handler (routes/error-handling.camel.yaml): a failure of one ScaledObject's poll is logged with
 * what to do and counted, and the route goes on with its next poll; other ScaledObjects never notice.
 */
public final class FailureSink {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.failure");

    private final ScalerMetrics metrics;
    private final ScaledObjectStore store;
    private final Clock clock;

    public FailureSink(ScalerMetrics metrics, ScaledObjectStore store, Clock clock) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
    }

    public void report(Exchange exchange, @Header(StreamStage.SCALED_OBJECT_HEADER) String scaledObjectId) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String id = scaledObjectId == null ? "?" : scaledObjectId;
        String[] nsName = id.split("/", 2);
        if (nsName.length == 2) {
            metrics.recordScaledObjectError(ScalerMetrics.scaledObjectTags(nsName[0], nsName[1]));
        }
        String failedRoute = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        store.get(id).ifPresent(entry -> {
            if ("scale".equals(failedRoute)) {
                // The write failed inside the multicast: the metrics sink, which runs last, closes the poll.
                entry.writeFailed();
            } else if (failedRoute == null || failedRoute.startsWith("scale-loop-")) {
                entry.polled(clock.instant(), true);
            }
        });
        Poll poll = exchange.getProperty("Poll", Poll.class);
        if (error instanceof KubernetesClientException ke && poll != null && "scale".equals(failedRoute)) {
            // camel-kubernetes' scaleDeployment failed: name the verb, the resource and the RBAC rule it needs.
            error = KubeErrors.translate(ke, "update", "apps", "deployments/scale", poll.getNamespace(), poll.getTargetName());
        }
        LOG.error("ScaledObject {}: {} failed, replicas left unchanged: {}", id,
                failedRoute == null ? "poll" : failedRoute, describe(error));
    }

    /**
     * The routes' conflict test (error-handling.camel.yaml): a 409 from the API server anywhere in the failure's
     * causes. Never throws: an exception while choosing the handler would replace the failure being reported.
     */
    public boolean isConflict(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException ke && ke.getCode() == 409) {
                return true;
            }
        }
        return false;
    }

    /** A message a person can act on; no stack trace for failures we understand. */
    static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        if (error instanceof ScaleException se) {
            return se.getMessage();
        }
        if (error instanceof KubernetesClientException ke) {
            return "Kubernetes API answered " + ke.getCode() + ": " + ke.getMessage()
                    + (ke.getCode() == 403 ? " (check the agent's Role: see k8s/base/role.yaml)" : "");
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return error.getClass().getSimpleName() + ": " + error.getMessage()
                + (root != error ? " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
    }
}
