package io.ddbstreamscaler.external;

import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.trigger.ExternalTriggerMetadata.InvalidMetadataException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.concurrent.CompletionException;

/** Failures as gRPC statuses: bad metadata is INVALID_ARGUMENT, an AWS failure UNAVAILABLE with the probe's words. */
final class Replies {

    private Replies() {
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof InvalidMetadataException invalid) {
            return Status.INVALID_ARGUMENT.withDescription(invalid.getMessage()).asRuntimeException();
        }
        if (cause instanceof ProbeException probe) {
            // The probe's message says what failed and what to do, and never carries a credential.
            return Status.UNAVAILABLE.withDescription(probe.kind() + ": " + probe.getMessage()).asRuntimeException();
        }
        if (cause instanceof StatusRuntimeException status) {
            return status;
        }
        // Not the request's fault and not an AWS answer: say so without inventing a value.
        return Status.INTERNAL.withDescription("counting shards failed: " + cause.getClass().getSimpleName())
                .asRuntimeException();
    }
}
