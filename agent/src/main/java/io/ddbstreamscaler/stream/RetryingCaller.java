package io.ddbstreamscaler.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Makes one AWS call with bounded retries: exponential backoff with full jitter
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), every attempt paid from the shared
 * {@link AwsCallBudget} so that retries cannot add up to a throttling storm.
 */
final class RetryingCaller {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);

    /** Counts the attempts of one shard count, retries included. */
    static final class Attempts {
        private int calls;

        int calls() {
            return calls;
        }
    }

    /** Thrown when a call failed for good; the caller turns it into a typed {@link ProbeException}. */
    static final class CallFailed extends Exception {
        final SdkException cause;
        final int attempts;

        CallFailed(SdkException cause, int attempts) {
            super(cause);
            this.cause = cause;
            this.attempts = attempts;
        }
    }

    private final ProbeOptions options;
    private final AwsCallBudget budget;

    RetryingCaller(ProbeOptions options, AwsCallBudget budget) {
        this.options = options;
        this.budget = budget;
    }

    /** @param operation for the log: the AWS operation and its table, never a credential */
    <T> T call(String operation, AwsCallBudget.Key key, Attempts attempts, Supplier<T> call) throws CallFailed {
        for (int attempt = 1; ; attempt++) {
            pause(budget.reserve(key));
            attempts.calls++;
            try {
                return call.get();
            } catch (SdkException e) {
                if (attempt >= options.maxAttempts() || !AwsFailures.isRetryable(e)) {
                    throw new CallFailed(e, attempt);
                }
                Duration wait = backoff(attempt);
                // Routine under load: DEBUG. The final failure is the caller's to report, once.
                LOG.debug("{} failed ({}), attempt {}/{}, retrying in {} ms", operation,
                        AwsFailures.errorCode(e) != null ? AwsFailures.errorCode(e) : e.getClass().getSimpleName(),
                        attempt, options.maxAttempts(), wait.toMillis());
                pause(wait);
            }
        }
    }

    /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
    Duration backoff(int attempt) {
        long ceiling = Math.min(options.maxBackoff().toNanos(),
                options.baseBackoff().toNanos() << Math.min(attempt - 1, 30));
        return Duration.ofNanos(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private void pause(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            options.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkException.create("interrupted while waiting to call AWS", e);
        }
    }
}
