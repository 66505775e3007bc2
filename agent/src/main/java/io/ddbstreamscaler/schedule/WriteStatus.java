package io.ddbstreamscaler.schedule;

/**
 * What became of one poll's write to {@code /scale}. The scale sink sets it; the sinks after it (log, metrics, events)
 * read it, so that a decision line never reports a scale that did not happen. Shared by the copies of the poll that the
 * multicast hands its branches (they run one after the other).
 */
public final class WriteStatus {

    public enum State {
        /** No write was made: the count stays, a dry run, or the Lease moved (the poll says which). */
        NOT_DUE,
        /** The API server accepted the new count. */
        WRITTEN,
        /** The write failed: {@link #failure()} says why. */
        FAILED
    }

    private volatile State state = State.NOT_DUE;
    private volatile String failure;

    public State state() {
        return state;
    }

    /** A short cause for the decision line, e.g. {@code forbidden (403)}; null unless FAILED. */
    public String failure() {
        return failure;
    }

    public boolean failed() {
        return state == State.FAILED;
    }

    public void set(State newState) {
        this.state = newState;
    }

    public void failed(String cause) {
        this.failure = cause;
        this.state = State.FAILED;
    }
}
