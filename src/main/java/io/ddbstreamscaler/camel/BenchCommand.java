package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.bench.BenchScenario;
import io.ddbstreamscaler.bench.BenchScenarios;
import io.ddbstreamscaler.bench.BenchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bench --scenario probe}: measures the agent against in-process simulators and prints one table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark against in-process simulators (never a real AWS account or cluster).")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "probe",
            description = "What to measure: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = ScenarioNames.class)
    String scenario;

    @Option(names = "--polls", defaultValue = "20", description = "Measured polls per row. Default: ${DEFAULT-VALUE}.")
    int polls;

    @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured polls first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--shards", split = ",", defaultValue = "10,100,1000,10000",
            description = "Stream sizes, one row each. Default: ${DEFAULT-VALUE}.")
    List<Integer> shards;

    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BenchScenarios.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        Optional<BenchScenario> s = BenchScenarios.find(scenario);
        if (s.isEmpty()) {
            spec.commandLine().getErr().println("bench: unknown --scenario " + scenario + "; known: "
                    + String.join(", ", BenchScenarios.names()));
            return 2;
        }
        if (polls < 1 || warmup < 0 || shards.stream().anyMatch(n -> n < 0)) {
            spec.commandLine().getErr().println("bench: --polls must be >= 1, --warmup >= 0, --shards >= 0; got "
                    + polls + ", " + warmup + ", " + shards);
            return 2;
        }
        s.get().run(new BenchSettings(polls, warmup, shards), System.out);
        return 0;
    }
}
