package io.ddbstreamscaler.policy;

/** A trace CSV that cannot be read; the message names the file, the line and the column. */
public class TraceFormatException extends RuntimeException {

    public TraceFormatException(String message) {
        super(message);
    }
}
