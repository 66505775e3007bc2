package io.ddbstreamscaler.trigger;

/** {@code spec.scaleTargetRef}: apiVersion defaults to apps/v1 and kind to Deployment, as in KEDA. */
public record ScaleTargetRef(String apiVersion, String kind, String name) {
}
