package io.ddbstreamscaler.cli;

import io.ddbstreamscaler.policy.SimReport;
import io.ddbstreamscaler.policy.SimRow;
import io.ddbstreamscaler.policy.SimTrigger;
import io.ddbstreamscaler.policy.TraceCsv;
import io.ddbstreamscaler.policy.TraceFormatException;
import io.ddbstreamscaler.policy.TraceRow;
import io.ddbstreamscaler.policy.TraceSimulation;
import io.ddbstreamscaler.trigger.ConfigError;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code simulate -f SCALEDOBJECT.yaml --trace TRACE.csv}: replays a shard trace through the replica policy, one poll
 * per row, the target following each decision at once. For tuning shardCount, windows and policies before deploying.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replay a shard-count trace (CSV) through the replica policy of a ScaledObject.")
public final class SimulateCommand implements Callable<Integer> {

    enum Output { text, json }

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "The ScaledObject YAML (a file or folder holding exactly one ScaledObject with our trigger).")
    Path scaledObjectFile;

    @Option(names = "--trace", required = true, paramLabel = "TRACE.csv",
            description = "Header 'seconds,shards', 'seconds,open,closed' or 'seconds,open,closed,finished' (finished:"
                    + " shards whose KCL lease is at SHARD_END, for kclLeaseTable), one row per poll; 'error' marks a"
                    + " failed probe.")
    Path trace;

    @Option(names = "--start-replicas", defaultValue = "1", paramLabel = "N",
            description = "Replicas before the first poll. Default: ${DEFAULT-VALUE}.")
    int startReplicas;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text or json. Default: ${DEFAULT-VALUE}.")
    Output output;

    @Option(names = "--changes", description = "Print only the polls where the replicas change, and a summary line.")
    boolean changes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (startReplicas < 0) {
            err.println("error: --start-replicas must be >= 0, got " + startReplicas);
            return ValidateCommand.EXIT_INVALID;
        }
        LoadResult loaded = new TriggerConfigLoader(SecretSource.none()).load(List.of(scaledObjectFile));
        loaded.errors().stream().map(ConfigError::format).forEach(e -> err.println("error: " + e));
        if (!loaded.ok()) {
            return ValidateCommand.EXIT_INVALID;
        }
        if (loaded.scaledObjects().size() != 1) {
            err.println("error: " + scaledObjectFile + ": expected exactly one ScaledObject with an aws-dynamodb-stream "
                    + "trigger, found " + loaded.scaledObjects().size());
            return ValidateCommand.EXIT_INVALID;
        }
        ScaledObjectConfig scaledObject = loaded.scaledObjects().get(0);
        List<TraceRow> rows;
        try {
            rows = TraceCsv.parse(trace);
        } catch (TraceFormatException e) {
            err.println("error: " + e.getMessage());
            return ValidateCommand.EXIT_INVALID;
        }
        List<SimTrigger> triggers = scaledObject.triggers().stream()
                .map(t -> new SimTrigger(t.metricName(), t.metricType(), t.shardCount(), t.activationShardCount(),
                        t.countClosedShards(), t.kclLeaseTable() != null))
                .toList();
        // A lease-aware trigger counts listed minus finished shards: without the column there is nothing to count.
        if (triggers.stream().anyMatch(SimTrigger::leaseAware)
                && rows.stream().anyMatch(r -> !r.failed() && r.finished() == null)) {
            err.println("error: " + trace + ": the ScaledObject's trigger reads a KCL lease table (kclLeaseTable): the"
                    + " trace needs the header 'seconds,open,closed,finished'");
            return ValidateCommand.EXIT_INVALID;
        }
        List<SimRow> result = TraceSimulation.run(triggers, scaledObject.scaling(), rows, startReplicas);
        if (output == Output.json) {
            out.print(SimReport.json(changes ? result.stream().filter(r -> r.desired() != r.current()).toList() : result));
        } else {
            out.print(changes ? SimReport.changes(result) : SimReport.text(result));
        }
        out.flush();
        return 0;
    }
}
