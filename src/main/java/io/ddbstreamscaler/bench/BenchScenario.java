package io.ddbstreamscaler.bench;

import java.io.PrintStream;

/** One benchmark the {@code bench} command can run; prints its own table. */
public interface BenchScenario {

    /** The {@code --scenario} value. */
    String name();

    /** One line for {@code bench --help}. */
    String description();

    /** Runs against in-process simulators only: never a real AWS account or cluster. */
    void run(BenchSettings settings, PrintStream out) throws Exception;
}
