package io.ddbstreamscaler.external;

import io.ddbstreamscaler.external.proto.ExternalScalerGrpc;
import io.ddbstreamscaler.external.proto.HealthCheckRequest;
import io.ddbstreamscaler.external.proto.HealthCheckResponse;
import io.ddbstreamscaler.external.proto.HealthCheckResponse.ServingStatus;
import io.ddbstreamscaler.external.proto.HealthGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}, grpc/grpc: doc/health-checking.md) beside the
 * external scaler API, for Kubernetes' {@code grpc:} probes (which call {@code Check} with the probe's
 * {@code service}, "" by default) and any other health-checking client. The server as a whole ("") and
 * {@code externalscaler.ExternalScaler} are SERVING from the start until {@link #shutdown()}, then NOT_SERVING, so a
 * readiness probe takes the pod out of the Service before the server stops answering. It reports the gRPC server
 * only: AWS failures are answered per request (UNAVAILABLE) and never make the pod unhealthy, as restarting it would
 * fix nothing.
 */
final class HealthService extends HealthGrpc.HealthImplBase {

    /** What {@code service} may name: the whole server, or the one service it exists for. */
    static final Set<String> KNOWN = Set.of("", ExternalScalerGrpc.SERVICE_NAME);

    private final CopyOnWriteArrayList<StreamObserver<HealthCheckResponse>> watchers = new CopyOnWriteArrayList<>();
    private volatile boolean serving = true;

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> reply) {
        if (!KNOWN.contains(request.getService())) {
            // The protocol's answer for a service the server does not know.
            reply.onError(Status.NOT_FOUND.withDescription("unknown service " + request.getService()
                    + "; this server knows \"\" and " + ExternalScalerGrpc.SERVICE_NAME).asRuntimeException());
            return;
        }
        reply.onNext(response(status()));
        reply.onCompleted();
    }

    @Override
    public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> reply) {
        if (!KNOWN.contains(request.getService())) {
            // Watch answers an unknown service with a status, not an error: it may be registered later elsewhere.
            reply.onNext(response(ServingStatus.SERVICE_UNKNOWN));
            return;
        }
        var call = (ServerCallStreamObserver<HealthCheckResponse>) reply;
        call.setOnCancelHandler(() -> watchers.remove(reply));
        synchronized (this) {
            reply.onNext(response(status()));
            if (serving) {
                watchers.add(reply);
            } else {
                reply.onCompleted();
            }
        }
    }

    /** NOT_SERVING from now on; watchers get the change and their call ends. */
    synchronized void shutdown() {
        if (!serving) {
            return;
        }
        serving = false;
        for (StreamObserver<HealthCheckResponse> w : watchers) {
            try {
                w.onNext(response(ServingStatus.NOT_SERVING));
                w.onCompleted();
            } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
                // The caller went away meanwhile: nothing to tell it.
            }
        }
        watchers.clear();
    }

    private ServingStatus status() {
        return serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    }

    private static HealthCheckResponse response(ServingStatus status) {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }
}
