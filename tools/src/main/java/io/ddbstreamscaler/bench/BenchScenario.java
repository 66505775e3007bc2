package io.ddbstreamscaler.bench;

import java.io.PrintStream;
import java.util.List;

/** One benchmark the {@code bench} command can run. */
public interface BenchScenario {

    /** The {@code --scenario} value. */
    String name();

    /** One line for {@code bench --help}. */
    String description();

    /**
     * Runs against in-process simulators only (never a real AWS account or cluster), prints its details as it goes,
     * and returns its lines of the table of figures.
     */
    List<Figure> run(BenchSettings settings, PrintStream out) throws Exception;
}
