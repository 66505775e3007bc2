package io.ddbstreamscaler.cli;

import io.ddbstreamscaler.schedule.TriggerOutcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ddbstreamscaler.policy.ReplicaPolicy;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeException;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.stream.ShardReading;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfig;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code check -f PATH [-f PATH ...] [-o text|json]}: evaluates every trigger once against AWS, without touching
 * Kubernetes, and prints what the agent would see and ask for: shards, metric, activity and the policy's one-shot
 * replica count per ScaledObject ({@link ReplicaPolicy#oneShot}: no history, current replicas unknown).
 *
 * <p>Exit codes: 0 every trigger evaluated; 1 some trigger failed at AWS (the others are still evaluated and printed);
 * 2 invalid configuration, a Secret missing from the files included. Invalid objects are reported and never probed,
 * valid ones are still checked, and 2 wins over 1, as KEDA reports an invalid ScaledObject without stopping the others.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Evaluate every aws-dynamodb-stream(s) trigger once against AWS (never Kubernetes) and print"
                + " shards, metric, activity and the desired replica count.")
public final class CheckCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_TRIGGER_FAILED = 1;
    static final int EXIT_INVALID = 2;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a folder of *.yaml/*.yml files (repeatable).")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (one line per trigger) or json (one array, one object per trigger). Default: ${DEFAULT-VALUE}.")
    ValidateCommand.Output output;

    // Hidden: in real use the SDK's own AWS_ENDPOINT_URL(_DYNAMODB|_DYNAMODB_STREAMS|_STS) does this; the option
    // exists so tests and demos can aim the spec's examples at a simulator without editing them.
    @Option(names = "--aws-endpoint", hidden = true, paramLabel = "URL",
            description = "Endpoint for DynamoDB, DynamoDB Streams and STS of triggers without awsEndpoint.")
    URI awsEndpoint;

    @Option(names = "--strict", description = "Treat every warning (an unknown metadata key, a deprecated provider, ...)"
            + " as an error of the object it is about.")
    boolean strict;

    @Spec
    CommandSpec spec;

    private final ProbeOptions probeOptions;
    private final AwsCredentialsProvider ambient;

    /** The CLI's: default probe options and the SDK's default credential chain for operator and role triggers. */
    public CheckCommand() {
        this(ProbeOptions.defaults(), null);
    }

    /** @param ambient the agent's own credentials; null for the SDK's default chain (created and closed here) */
    CheckCommand(ProbeOptions probeOptions, AwsCredentialsProvider ambient) {
        this.probeOptions = probeOptions;
        this.ambient = ambient;
    }

    @Override
    public Integer call() throws Exception {
        LoadResult loaded = new TriggerConfigLoader(SecretSource.none()).strict(strict).load(paths);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        loaded.warnings().forEach(w -> err.println("warning: " + w));
        loaded.skipped().forEach(s -> err.println("note: " + s));
        // The loader's notes say a Secret is "resolved at run time"; check never reads the cluster, so each such
        // trigger is reported below as failed, naming the Secret, instead.
        loaded.errors().forEach(e -> err.println("error: " + e.format()));
        List<Map<String, Object>> rows = new ArrayList<>();
        int triggers = 0;
        int failed = 0;
        int invalid = 0;
        for (ObjectCheck check : checkAll(loaded.scaledObjects())) {
            for (TriggerOutcome outcome : check.outcomes()) {
                triggers++;
                failed += outcome.failed() ? 1 : 0;
                // A Secret not in the files (check never reads the cluster) is the configuration's fault, not AWS's.
                invalid += outcome.failed() && outcome.error().kind() == ProbeException.Kind.INVALID_CONFIG ? 1 : 0;
                if (output == ValidateCommand.Output.json) {
                    rows.add(row(check, outcome));
                } else {
                    out.println(textLine(check, outcome));
                }
            }
        }
        if (output == ValidateCommand.Output.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        }
        err.println(triggers + " trigger(s) of " + loaded.scaledObjects().size() + " valid ScaledObject(s) checked: "
                + (triggers - failed) + " evaluated, " + failed + " failed; " + (loaded.errors().size() + invalid)
                + " config error(s)");
        out.flush();
        err.flush();
        return exitCode(loaded.errors().size() + invalid, failed);
    }

    /** Invalid configuration (2) wins over a failed trigger (1). */
    static int exitCode(int configErrors, int failedTriggers) {
        if (configErrors > 0) {
            return EXIT_INVALID;
        }
        return failedTriggers > 0 ? EXIT_TRIGGER_FAILED : EXIT_OK;
    }

    /** One ScaledObject's outcomes, one per trigger in spec order, and the policy's one-shot decision over them. */
    record ObjectCheck(ScaledObjectConfig object, List<TriggerOutcome> outcomes, ScaleDecision decision) {

        /** Null when every trigger failed: the policy would only hold a count it does not know. */
        Integer desiredReplicas() {
            return decision.reason() == ScaleDecision.Reason.ProbeFailedHold ? null : decision.desiredReplicas();
        }
    }

    /** Probes every trigger once with one counter (one client set per identity), closed at the end. */
    private List<ObjectCheck> checkAll(List<ScaledObjectConfig> objects) {
        if (objects.isEmpty()) {
            return List.of();
        }
        ProbeOptions options = awsEndpoint == null ? probeOptions : probeOptions.withStsEndpoint(awsEndpoint);
        DefaultCredentialsProvider owned = ambient == null ? DefaultCredentialsProvider.builder().build() : null;
        try (ShardCounter counter = new AwsShardCounter(options, ambient != null ? ambient : owned)) {
            List<ObjectCheck> checks = new ArrayList<>();
            for (ScaledObjectConfig object : objects) {
                List<TriggerOutcome> outcomes = object.triggers().stream()
                        .map(t -> evaluate(counter, t, awsEndpoint)).toList();
                ScaleDecision decision = ReplicaPolicy.oneShot(
                        outcomes.stream().map(TriggerOutcome::toPolicyReading).toList(), object.scaling());
                checks.add(new ObjectCheck(object, outcomes, decision));
            }
            return checks;
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }

    /**
     * One trigger's outcome; the outcome keeps the trigger as configured (the JSON's awsEndpoint stays what the file
     * says), the counter gets {@code defaultEndpoint} when the trigger has none (its own awsEndpoint wins, as in KEDA).
     */
    static TriggerOutcome evaluate(ShardCounter counter, TriggerConfig trigger, URI defaultEndpoint) {
        List<String> secrets = trigger.auth().unresolvedSecrets();
        if (!secrets.isEmpty()) {
            return TriggerOutcome.failed(trigger, new ProbeException(ProbeException.Kind.INVALID_CONFIG,
                    (secrets.size() == 1 ? "Secret " + secrets.get(0) + " is" : "Secrets " + String.join(", ", secrets)
                            + " are") + " not in the given files and check never reads the cluster: add the Secret's"
                            + " manifest with -f", 0, null));
        }
        TriggerConfig probed = trigger.awsEndpoint() == null && defaultEndpoint != null
                ? trigger.withAwsEndpoint(defaultEndpoint) : trigger;
        try {
            return TriggerOutcome.of(trigger, counter.count(probed));
        } catch (ProbeException e) {
            return TriggerOutcome.failed(trigger, e);
        } catch (RuntimeException e) {
            // As in the agent's StreamStage: an unexpected failure is this trigger's error, never the whole run's.
            return TriggerOutcome.failed(trigger, new ProbeException(ProbeException.Kind.UNAVAILABLE,
                    "unexpected probe failure: " + e.getClass().getSimpleName(), 0, e));
        }
    }

    /** The validate fields plus what the probe and the policy found; never a credential. */
    static Map<String, Object> row(ObjectCheck check, TriggerOutcome outcome) {
        Map<String, Object> row = ValidateCommand.row(check.object(), outcome.trigger());
        ShardReading reading = outcome.reading();
        row.put("streamArn", reading == null ? null : reading.streamArn());
        if (reading == null) {
            row.put("shards", null);
        } else {
            Map<String, Object> shards = new LinkedHashMap<>();
            shards.put("total", reading.total());
            shards.put("open", reading.open());
            shards.put("closed", reading.closed());
            if (reading.leases() != null) {
                shards.put("finished", reading.leases().finished());
            }
            row.put("shards", shards);
        }
        // Only for a trigger that reads a KCL lease table: how its count was made (null when the probe failed).
        if (outcome.trigger().kclLeaseTable() != null) {
            row.put("leases", reading == null || reading.leases() == null ? null
                    : io.ddbstreamscaler.stream.kcl.LeaseStatus.map(reading.leases()));
        }
        Integer value = metricValue(outcome);
        row.put("metricValue", value);
        row.put("active", value == null ? null : ReplicaPolicy.isActive(value, outcome.trigger().activationShardCount()));
        row.put("desiredReplicas", check.desiredReplicas());
        row.put("awsCalls", awsCalls(outcome));
        row.put("error", outcome.failed() ? outcome.error().getMessage() : null);
        return row;
    }

    static String textLine(ObjectCheck check, TriggerOutcome outcome) {
        TriggerConfig t = outcome.trigger();
        Integer value = metricValue(outcome);
        String found = outcome.failed()
                ? "error " + outcome.error().kind() + ": " + outcome.error().getMessage()
                : String.format("%d shards (%d open, %d closed%s), metric %d, %s (activation %d)%s",
                        outcome.reading().total(), outcome.reading().open(), outcome.reading().closed(),
                        outcome.reading().leases() == null ? "" : ", " + outcome.reading().leases().finished() + " finished",
                        value, ReplicaPolicy.isActive(value, t.activationShardCount()) ? "active" : "inactive", t.activationShardCount(),
                        outcome.reading().leases() == null ? "" : ", counted from the " + outcome.reading().leases().describe());
        Integer desired = check.desiredReplicas();
        int calls = awsCalls(outcome);
        return String.format("%s trigger %d table %s in %s: %s; desired replicas %s (%s); %d AWS call%s [%s]",
                check.object().id(), t.index(), t.tableName(), t.awsRegion(), found,
                desired == null ? "unknown" : desired, check.decision().reason(), calls, calls == 1 ? "" : "s",
                check.object().sourceFile());
    }

    private static Integer metricValue(TriggerOutcome outcome) {
        return outcome.failed() ? null : outcome.reading().metricValue(outcome.trigger().countClosedShards());
    }

    private static int awsCalls(TriggerOutcome outcome) {
        return outcome.failed() ? outcome.error().awsCalls() : outcome.reading().awsCalls();
    }
}
