package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.Poll;

import io.ddbstreamscaler.schedule.ScaledObjectStore;

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

    private final EventsSink events;

    public FailureSink(ScalerMetrics metrics, ScaledObjectStore store, Clock clock, EventsSink events) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public void report(Exchange exchange, @Header(StreamStage.SCALED_OBJECT_HEADER) String scaledObjectId) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String id = scaledObjectId == null ? "?" : scaledObjectId;
        String[] nsName = id.split("/", 2);
        if (nsName.length == 2) {
            metrics.recordScaledObjectError(ScalerMetrics.scaledObjectTags(nsName[0], nsName[1]));
        }
        String failedRoute = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        Poll poll = exchange.getProperty("Poll", Poll.class);
        if ("scale".equals(failedRoute) && poll != null) {
            if (error instanceof KubernetesClientException ke) {
                // camel-kubernetes' scaleDeployment failed: name the verb, the resource and the RBAC rule it needs.
                error = KubeErrors.translate(ke, "update", "apps", "deployments/scale", poll.getNamespace(), poll.getTargetName());
            }
            // The write failed inside the multicast: the sinks after it (log, metrics, events) read this.
            poll.write().failed(shortCause(error));
            metrics.recordScaleWrite(ScalerMetrics.scaledObjectTags(poll.getNamespace(), poll.config().name()),
                    ScaleStage.direction(poll), "failure");
            LOG.error("ScaledObject {}: writing {} replicas to {} {}/{} failed, replicas left at {}: {}", id,
                    poll.getDesiredReplicas(), poll.getTargetKind(), poll.getNamespace(), poll.getTargetName(),
                    poll.getCurrentReplicas(), describe(error));
            return;
        }
        String message = describe(error);
        if (failedRoute == null || failedRoute.equals("scale-loop")) {
            store.get(id).ifPresent(entry -> entry.failed(clock.instant(), message));
            events.pollFailed(id, error, message);
        }
        LOG.error("ScaledObject {}: {} failed, replicas left unchanged: {}", id,
                failedRoute == null ? "poll" : failedRoute, message);
    }

    /** The cause of a failed write for the decision line: {@code forbidden (403)}, {@code not found (404)}, ... */
    static String shortCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ScaleException se) {
                int code = t.getCause() instanceof KubernetesClientException ke ? ke.getCode() : 0;
                String status = code >= 100 ? " (" + code + ")" : "";
                return switch (se.kind()) {
                    case FORBIDDEN -> "forbidden" + status;
                    case NOT_FOUND -> "not found" + status;
                    case CONFLICT -> "conflict" + status + " after retries";
                    case UNAVAILABLE -> "API server unavailable" + status;
                    case INVALID -> "rejected" + status;
                };
            }
            if (t instanceof KubernetesClientException ke) {
                return "API server answered " + ke.getCode();
            }
        }
        return error == null ? "unknown error" : error.getClass().getSimpleName();
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
