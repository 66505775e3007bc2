package io.ddbstreamscaler.scale;

/** A failed call to the Kubernetes API, typed so that logs and metrics can tell causes apart. */
public class ScaleException extends RuntimeException {

    public enum Kind { FORBIDDEN, NOT_FOUND, CONFLICT, UNAVAILABLE, INVALID }

    private final Kind kind;

    public ScaleException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
