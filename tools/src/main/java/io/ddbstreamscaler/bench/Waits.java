package io.ddbstreamscaler.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in the benchmark's own loop (never in a test: those use Awaitility). */
public final class Waits {

    private Waits() {
    }

    /** Polls {@code condition} every 20 ms until it holds (true) or {@code timeout} passes (false). */
    public static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
