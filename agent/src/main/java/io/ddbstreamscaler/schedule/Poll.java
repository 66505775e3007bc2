package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One poll of one ScaledObject as it travels the scale loop, a value: the stream stage makes it with the
 * {@code outcomes}, the policy stage adds the {@code decision}, the scale stage the {@code write}; each passes on a new
 * poll and the sinks only read it. The getters exist for the routes' simple expressions ({@code ${body.logLine}},
 * {@code ${body.severity}}, ...).
 */
public record Poll(ScaledObjectConfig config, List<TriggerOutcome> outcomes, ScaleDecision decision, boolean dryRun,
                   boolean leaseLost, long startNanos, WriteStatus write) {

    public Poll {
        outcomes = List.copyOf(outcomes);
    }

    public Poll(ScaledObjectConfig config, List<TriggerOutcome> outcomes, ScaleDecision decision, boolean dryRun,
                long startNanos) {
        this(config, outcomes, decision, dryRun, false, startNanos, WriteStatus.PENDING);
    }

    /** The policy's decision. */
    public Poll withDecision(ScaleDecision newDecision) {
        return new Poll(config, outcomes, newDecision, dryRun, leaseLost, startNanos, write);
    }

    /** What became of the write. */
    public Poll withWrite(WriteStatus status) {
        return new Poll(config, outcomes, decision, dryRun, leaseLost, startNanos, status);
    }

    /** Not written: the Lease was found to name another agent just before writing. */
    public Poll leaseMoved() {
        return new Poll(config, outcomes, decision, dryRun, true, startNanos, WriteStatus.NOT_DUE);
    }

    /** A change of the count is due: the decision changes it. */
    public boolean changes() {
        return decision != null && decision.changes();
    }

    /** A write is due when the decision changes the count, this is no dry run, and this agent still holds the Lease. */
    public boolean isWriteNeeded() {
        return changes() && !dryRun && !leaseLost;
    }

    /** The write was due and the API server did not take it. */
    public boolean writeFailed() {
        return write.failed();
    }

    public String getNamespace() {
        return config.namespace();
    }

    public ScaleTargetRef getTarget() {
        return config.scaleTarget();
    }

    public String getTargetKind() {
        return config.scaleTarget().kind();
    }

    public String getTargetName() {
        return config.scaleTarget().name();
    }

    public int getDesiredReplicas() {
        return decision.desiredReplicas();
    }

    public int getCurrentReplicas() {
        return decision.currentReplicas();
    }

    public boolean anyTriggerFailed() {
        return outcomes.stream().anyMatch(TriggerOutcome::failed);
    }

    /**
     * The decision's log level: ERROR when every trigger failed or the write failed, WARN when some trigger failed or
     * the Lease moved before the write, else INFO.
     */
    public String getSeverity() {
        long failed = outcomes.stream().filter(TriggerOutcome::failed).count();
        if ((failed > 0 && failed == outcomes.size()) || write.failed()) {
            return "ERROR";
        }
        return failed > 0 || (leaseLost && changes()) ? "WARN" : "INFO";
    }

    /**
     * One line per decision: ScaledObject, table, shards total/open, metric/target, current -> desired, reason, and
     * what became of the write when it did not happen.
     */
    public String getLogLine() {
        String triggers = outcomes.stream().map(Poll::describe).collect(Collectors.joining("; "));
        return "ScaledObject " + config.id() + " " + config.scaleTarget().kind() + "/" + config.scaleTarget().name()
                + ": " + triggers + "; replicas " + decision.currentReplicas() + " -> " + decision.desiredReplicas()
                + " reason=" + decision.reason() + writeNote() + " (" + decision.message() + ")";
    }

    private String writeNote() {
        if (!changes()) {
            return "";
        }
        if (dryRun) {
            return " (dry run: not written)";
        }
        if (leaseLost) {
            return " (the Lease has moved to another agent: not written)";
        }
        return switch (write.state()) {
            case FAILED -> " (write failed: " + write.failure() + ", replicas left at " + decision.currentReplicas() + ")";
            case PENDING -> " (not written yet)";
            case WRITTEN, NOT_DUE -> "";
        };
    }

    private static String describe(TriggerOutcome o) {
        String table = "table " + o.trigger().tableName();
        if (o.failed()) {
            return table + " probe failed [" + o.error().kind() + "]: " + o.error().getMessage();
        }
        var r = o.reading();
        return table + " shards total=" + r.total() + " open=" + r.open() + r.finishedNote() + " metric="
                + r.metricValue(o.trigger().countClosedShards()) + "/" + o.trigger().shardCount() + r.leaseNote();
    }
}
