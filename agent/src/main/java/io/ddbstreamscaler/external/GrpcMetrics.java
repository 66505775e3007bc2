package io.ddbstreamscaler.external;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code ddbstream_scaler_grpc_requests_total{method,outcome}} and {@code ddbstream_scaler_grpc_cache_total{result}}.
 * Labels are bounded: five methods, the gRPC status codes, hit/miss. Nothing from the request (ScaledObject, table,
 * metadata) becomes a label: the metadata may carry keys.
 */
final class GrpcMetrics {

    private final MeterRegistry registry;

    /** @param registry null records nothing */
    GrpcMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param outcome {@code ok}, or the gRPC status code in lower case ({@code invalid_argument}, {@code unavailable}) */
    void request(String method, Status.Code outcome) {
        if (registry != null) {
            Counter.builder("ddbstream.scaler.grpc.requests")
                    .description("External scaler gRPC requests by method and outcome (ok or the gRPC status code).")
                    .tag("method", method).tag("outcome", outcome == Status.Code.OK ? "ok" : outcome.name().toLowerCase())
                    .register(registry).increment();
        }
    }

    /** {@code hit}: answered from a fresh reading or one already under way; {@code miss}: started an AWS count. */
    void cache(boolean hit) {
        if (registry != null) {
            Counter.builder("ddbstream.scaler.grpc.cache")
                    .description("Shard readings asked for by the external scaler API: hit (cached or shared) or miss (counted on AWS).")
                    .tag("result", hit ? "hit" : "miss").register(registry).increment();
        }
    }
}
