package io.ddbstreamscaler.scale;

import io.ddbstreamscaler.trigger.ScaleTargetRef;

/** The port to the Kubernetes scale subresource of a ScaledObject's target. */
public interface ScaleTarget {

    /**
     * The target's replicas as its {@code /scale} subresource reports them ({@code spec.replicas}).
     *
     * @throws ScaleException typed (FORBIDDEN, NOT_FOUND, UNAVAILABLE), with a message that says what to do
     */
    int currentReplicas(String namespace, ScaleTargetRef ref);

    /**
     * Sets {@code spec.replicas} through {@code /scale}, only when it differs; re-reads and retries on 409 Conflict.
     *
     * @throws ScaleException typed, with a message that names the verb, resource and namespace
     */
    ScaleResult scale(String namespace, ScaleTargetRef ref, int desiredReplicas);

    /** What a {@link #scale} call did. */
    record ScaleResult(int from, int to, boolean written, int attempts) {
    }
}
