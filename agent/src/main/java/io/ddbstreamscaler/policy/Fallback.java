package io.ddbstreamscaler.policy;

/** KEDA's {@code spec.fallback}: after more than {@code failureThreshold} consecutive failures, run {@code replicas}. */
public record Fallback(int failureThreshold, int replicas) {
}
