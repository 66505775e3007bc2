package io.ddbstreamscaler.policy;

/**
 * One simulated poll.
 *
 * @param metricValue the first trigger's metric value, null when the probe failed
 * @param current     the replica count before the decision (the previous row's desired)
 * @param desired     the decision
 * @param reason      the decision's machine reason
 */
public record SimRow(long seconds, Integer metricValue, int current, int desired, ScaleDecision.Reason reason) {
}
