package io.ddbstreamscaler.simulator.aws;

/** An AWS error answer: HTTP status, error code (the JSON {@code __type} suffix or the Query {@code Code}), message. */
public final class SimError extends RuntimeException {

    final int status;
    final String code;

    public SimError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static SimError notFound(String what) {
        return new SimError(400, "ResourceNotFoundException", "Requested resource not found: " + what);
    }

    static SimError validation(String message) {
        return new SimError(400, "ValidationException", message);
    }
}
