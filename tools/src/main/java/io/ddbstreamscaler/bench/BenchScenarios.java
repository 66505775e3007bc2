package io.ddbstreamscaler.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The scenarios {@code bench --scenario} knows, in the order of the table in bench/RESULTS.md; {@code all} runs them in turn. */
public final class BenchScenarios {

    private static final Map<String, BenchScenario> ALL = new LinkedHashMap<>();

    static {
        List<BenchScenario> each = List.of(new ProbeBenchmark(), new ReactionBenchmark(), new FootprintBenchmark(),
                new ScaleBenchmark());
        each.forEach(BenchScenarios::register);
        register(new AllScenarios(each));
        register(new ExternalBenchmark()); // not one of the table's rows: run on its own
        register(new SpreadBenchmark()); // several agents, run on its own
        register(new LeaseAwareBenchmark()); // a simulated day, no agent process: run on its own
    }

    private BenchScenarios() {
    }

    private static void register(BenchScenario s) {
        ALL.put(s.name(), s);
    }

    public static Optional<BenchScenario> find(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }
}
