package io.ddbstreamscaler.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The completion of a poll, the one step that writes its results back: once the sinks are done (or the poll failed),
 * the store gets the decision, the policy history (with the scale event only if the write happened), the readings and
 * the write's outcome; then the schedule gets the ScaledObject's slot back. The routes can be edited freely around it:
 * the sinks only read, so no edit can corrupt the history or make a poll count twice.
 */
public final class PollCommit {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.agent");

    private final ScaledObjectStore store;
    private final PollSchedule schedule;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();

    public PollCommit(ScaledObjectStore store, PollSchedule schedule, Clock clock) {
        this.store = store;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** A poll that got a decision (its write, if one was due, has been made or has failed). */
    public void completed(Poll poll) {
        String id = poll.config().id();
        store.get(id).ifPresent(entry -> entry.committed(clock.instant(), poll));
        finished(id);
    }

    /** A poll that failed before its decision, with the message already logged. */
    public void failed(String id, String message) {
        store.get(id).ifPresent(entry -> entry.failed(clock.instant(), message));
        finished(id);
    }

    private void finished(String id) {
        schedule.finished(id);
        lock.lock();
        try {
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** For {@code run --once}: waits until every ScaledObject has polled once; true when none failed. */
    public boolean awaitEveryPolledOnce(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!store.all().stream().allMatch(e -> e.polls() > 0)) {
                if (left <= 0) {
                    LOG.error("not every ScaledObject polled within {}s", timeout.toSeconds());
                    return false;
                }
                left = committed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        return store.all().stream().noneMatch(ScaledObjectStore.Entry::lastPollFailed);
    }
}
