package io.ddbstreamscaler.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The scenarios {@code bench --scenario} knows; add one here (reaction, footprint, scale...). */
public final class BenchScenarios {

    private static final Map<String, BenchScenario> ALL = new LinkedHashMap<>();

    static {
        register(new ProbeBenchmark());
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
