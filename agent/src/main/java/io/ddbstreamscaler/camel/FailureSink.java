package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.Causes;
import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.ScaleException;
import io.ddbstreamscaler.schedule.Poll;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes' error handler (routes/error-handling.camel.yaml): a failure in one ScaledObject's poll is logged with
 * what to do and counted, and the route goes on with its next poll; other ScaledObjects never notice. It only reports:
 * what the poll comes to is committed by the poll's completion ({@link PollCompletion}). Whether the poll had got its
 * decision (a sink failed) or not (the probe or the /scale read did) is read from the poll, never from route ids.
 */
public final class FailureSink {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.failure");

    private final ScalerMetrics metrics;
    private final EventsSink events;

    public FailureSink(ScalerMetrics metrics, EventsSink events) {
        this.metrics = metrics;
        this.events = events;
    }

    public void report(Exchange exchange, @Header(StreamStage.SCALED_OBJECT_HEADER) String scaledObjectId) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String id = scaledObjectId == null ? "?" : scaledObjectId;
        String[] nsName = id.split("/", 2);
        if (nsName.length == 2) {
            metrics.recordScaledObjectError(ScalerMetrics.scaledObjectTags(nsName[0], nsName[1]));
        }
        String message = describe(error);
        String where = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, "the poll", String.class);
        Poll poll = PollCompletion.carried(exchange);
        if (poll != null && poll.decision() != null) {
            LOG.error("ScaledObject {}: {} failed after the decision; the decision and its write stand: {}", id, where,
                    message);
            return;
        }
        events.pollFailed(id, error, message);
        LOG.error("ScaledObject {}: {} failed, replicas left unchanged: {}", id, where, message);
    }

    /** The cause of a failed write for the decision line: {@code forbidden (403)}, {@code not found (404)}, ... */
    static String shortCause(Throwable error) {
        var typed = Causes.find(error, ScaleException.class);
        if (typed.isPresent()) {
            ScaleException se = typed.get();
            int code = se.getCause() instanceof KubernetesClientException ke ? ke.getCode() : 0;
            String status = code >= 100 ? " (" + code + ")" : "";
            return switch (se.kind()) {
                case FORBIDDEN -> "forbidden" + status;
                case NOT_FOUND -> "not found" + status;
                case CONFLICT -> "conflict" + status + " after retries";
                case UNAVAILABLE -> "API server unavailable" + status;
                case INVALID -> "rejected" + status;
            };
        }
        return Causes.find(error, KubernetesClientException.class).map(ke -> "API server answered " + ke.getCode())
                .orElse(error == null ? "unknown error" : error.getClass().getSimpleName());
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
        Throwable root = Causes.root(error);
        return error.getClass().getSimpleName() + ": " + error.getMessage()
                + (root != error ? " (cause: " + Causes.rootSummary(error) + ")" : "");
    }
}
