package io.ddbstreamscaler.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code --scenario all}: every scenario in the order of the table in bench/RESULTS.md, their figures in one table. */
public final class AllScenarios implements BenchScenario {

    private final List<BenchScenario> scenarios;

    public AllScenarios(List<BenchScenario> scenarios) {
        this.scenarios = List.copyOf(scenarios);
    }

    @Override
    public String name() {
        return "all";
    }

    @Override
    public String description() {
        return "probe, reaction, footprint and scale in turn (about 11 minutes at the defaults)";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        List<Figure> figures = new ArrayList<>();
        for (BenchScenario s : scenarios) {
            out.println();
            out.println("=== " + s.name() + ": " + s.description());
            try {
                figures.addAll(s.run(settings, out));
            } catch (Exception e) {
                // One scenario failing must not lose the others' figures.
                out.println(s.name() + ": failed: " + e);
                figures.add(Figure.notRun(0, s.name(), "failed: " + e.getClass().getSimpleName()));
            }
        }
        return figures;
    }
}
