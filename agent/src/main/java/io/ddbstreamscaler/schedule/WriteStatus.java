package io.ddbstreamscaler.schedule;

/**
 * What became of one poll's write to {@code /scale}: a value the scale stage puts on the poll it passes on, so that
 * every sink after it (log, metrics, Events, in any order, in parallel or not) reads the same answer and none reports
 * a scale that did not happen.
 *
 * @param failure a short cause for the decision line, e.g. {@code forbidden (403)}; null unless FAILED
 */
public record WriteStatus(State state, String failure) {

    public enum State {
        /** The scale stage has not run yet: a step placed before it in the route sees this. */
        PENDING,
        /** No write was made: the count stays, a dry run, or the Lease moved (the poll says which). */
        NOT_DUE,
        /** The API server accepted the new count. */
        WRITTEN,
        /** The write failed: {@link #failure()} says why. */
        FAILED
    }

    public static final WriteStatus PENDING = new WriteStatus(State.PENDING, null);
    public static final WriteStatus NOT_DUE = new WriteStatus(State.NOT_DUE, null);
    public static final WriteStatus WRITTEN = new WriteStatus(State.WRITTEN, null);

    public static WriteStatus failed(String cause) {
        return new WriteStatus(State.FAILED, cause);
    }

    public boolean failed() {
        return state == State.FAILED;
    }
}
