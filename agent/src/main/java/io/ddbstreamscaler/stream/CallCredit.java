package io.ddbstreamscaler.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * AWS calls booked ahead for one poll, spent by the count that runs on this thread. The scheduler books a poll's calls
 * from the {@link AwsCallBudget} when the poll falls due and starts the poll only once they are there, so no poll
 * thread sits waiting for tokens; the poll thread then opens the credit around its counts, and the budget takes the
 * calls from it instead of booking them again. Calls beyond the credit (a split added pages, a retry) are booked as
 * usual and may wait.
 */
public final class CallCredit implements AutoCloseable {

    private static final ThreadLocal<CallCredit> CURRENT = new ThreadLocal<>();

    private final Map<AwsCallBudget.Key, Integer> calls;
    private final CallCredit previous;

    private CallCredit(Map<AwsCallBudget.Key, Integer> calls) {
        this.calls = new HashMap<>(calls);
        this.previous = CURRENT.get();
    }

    /** Opens the credit on this thread until {@link #close()}. */
    public static CallCredit open(Map<AwsCallBudget.Key, Integer> booked) {
        CallCredit credit = new CallCredit(booked);
        CURRENT.set(credit);
        return credit;
    }

    /** Takes one call of {@code key} from this thread's open credit; false when there is none left. */
    static boolean spend(AwsCallBudget.Key key) {
        CallCredit credit = CURRENT.get();
        if (credit == null) {
            return false;
        }
        Integer left = credit.calls.get(key);
        if (left == null || left <= 0) {
            return false;
        }
        credit.calls.put(key, left - 1);
        return true;
    }

    /** Calls booked but not spent, by key (a shard count that needed fewer pages than expected). */
    public Map<AwsCallBudget.Key, Integer> unspent() {
        Map<AwsCallBudget.Key, Integer> left = new HashMap<>();
        calls.forEach((k, v) -> {
            if (v > 0) {
                left.put(k, v);
            }
        });
        return left;
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
