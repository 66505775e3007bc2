package io.ddbstreamscaler.stream;

/** A failed shard count, typed so that logs, metrics and the policy can tell causes apart. */
public class ProbeException extends RuntimeException {

    public enum Kind {
        TABLE_NOT_FOUND, STREAM_NOT_ENABLED, ACCESS_DENIED, INVALID_CREDENTIALS, THROTTLED, UNAVAILABLE, INVALID_CONFIG,
        /** AWS answered a 4xx that is none of the above (a ValidationException, say): the request, not the service. */
        REQUEST_REJECTED
    }

    private final Kind kind;
    private final int awsCalls;

    public ProbeException(Kind kind, String message, int awsCalls, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.awsCalls = awsCalls;
    }

    public Kind kind() {
        return kind;
    }

    /** AWS calls spent before the failure. */
    public int awsCalls() {
        return awsCalls;
    }
}
