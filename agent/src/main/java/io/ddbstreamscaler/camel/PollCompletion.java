package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.PollCommit;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Runs {@link PollCommit} when a poll's exchange is done, after its last sink, however it ends: the stream stage
 * registers it as the poll starts, so no edit of the routes can skip it. It commits the poll the Java stages last made
 * ({@link #carry}), never the body the sinks leave: a sink that changes the body, a parallel multicast's aggregate or a
 * removed sink changes nothing of what is committed.
 */
final class PollCompletion extends SynchronizationAdapter {

    /** The exchange property holding the poll as the last Java stage made it. */
    static final String POLL = "ddbstream-scaler.poll";

    private final PollCommit commit;
    private final String id;

    PollCompletion(PollCommit commit, String id) {
        this.commit = commit;
        this.id = id;
    }

    /** Each Java stage hands its poll on through this. */
    static Poll carry(Exchange exchange, Poll poll) {
        exchange.setProperty(POLL, poll);
        return poll;
    }

    /** The poll as the last Java stage made it; null before the stream stage's. */
    static Poll carried(Exchange exchange) {
        return exchange.getProperty(POLL, Poll.class);
    }

    @Override
    public void onDone(Exchange exchange) {
        Poll poll = carried(exchange);
        if (poll != null && poll.decision() != null) {
            commit.completed(poll);
            return;
        }
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        commit.failed(id, error == null ? "the poll ended without a decision (a route step stopped it)"
                : FailureSink.describe(error));
    }
}
