package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.ConfigError;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfig;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code validate -f PATH [-f PATH ...] [-o text|json]}: loads trigger files as the agent would, without a cluster
 * (Secrets not in the files are "resolved at run time"). Exit 0 when every object is valid, 2 when any is invalid.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check KEDA ScaledObjects with aws-dynamodb-stream(s) triggers and print what the agent would use.")
public final class ValidateCommand implements Callable<Integer> {

    static final int EXIT_VALID = 0;
    static final int EXIT_INVALID = 2;

    enum Output { text, json }

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a folder of *.yaml/*.yml files (repeatable).")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (one line per trigger) or json (one array, one object per trigger). Default: ${DEFAULT-VALUE}.")
    Output output;

    @Option(names = "--strict", description = "Treat every warning (an unknown metadata key, a deprecated provider, ...)"
            + " as an error of the object it is about.")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadResult result = new TriggerConfigLoader(SecretSource.none()).strict(strict).load(paths);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String warning : result.warnings()) {
            err.println("warning: " + warning);
        }
        for (String note : result.notes()) {
            err.println("note: " + note);
        }
        for (String skipped : result.skipped()) {
            err.println("note: " + skipped);
        }
        for (ConfigError error : result.errors()) {
            err.println("error: " + error.format());
        }
        if (output == Output.json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(rows(result)));
        } else {
            for (ScaledObjectConfig object : result.scaledObjects()) {
                for (TriggerConfig trigger : object.triggers()) {
                    out.println(textLine(object, trigger));
                }
            }
        }
        err.println(result.scaledObjects().size() + " valid ScaledObject(s), " + result.errors().size() + " error(s)");
        out.flush();
        err.flush();
        return result.ok() ? EXIT_VALID : EXIT_INVALID;
    }

    static List<Map<String, Object>> rows(LoadResult result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ScaledObjectConfig object : result.scaledObjects()) {
            for (TriggerConfig trigger : object.triggers()) {
                rows.add(row(object, trigger));
            }
        }
        return rows;
    }

    /** One trigger as {@code validate -o json} prints it: never a credential, only how it is obtained. */
    static Map<String, Object> row(ScaledObjectConfig object, TriggerConfig trigger) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scaledObject", object.id());
        row.put("file", String.valueOf(object.sourceFile()));
        row.put("triggerIndex", trigger.index());
        row.put("type", trigger.type());
        row.put("tableName", trigger.tableName());
        row.put("awsRegion", trigger.awsRegion());
        row.put("awsEndpoint", trigger.awsEndpoint() == null ? null : trigger.awsEndpoint().toString());
        row.put("shardCount", trigger.shardCount());
        row.put("activationShardCount", trigger.activationShardCount());
        row.put("identityOwner", trigger.identityOwner().name().toLowerCase());
        row.put("countClosedShards", trigger.countClosedShards());
        // Only for a trigger that reads a lease table: the others keep the fields they always had.
        if (trigger.kclLeaseTable() != null) {
            row.put("kclLeaseTable", trigger.kclLeaseTable().name());
            row.put("kclLeaseTableEndpoint", trigger.kclLeaseTable().endpoint() == null ? null
                    : trigger.kclLeaseTable().endpoint().toString());
        }
        row.put("metricName", trigger.metricName());
        row.put("metricType", trigger.metricType().keda());
        row.put("auth", auth(trigger.auth()));
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("apiVersion", object.scaleTarget().apiVersion());
        target.put("kind", object.scaleTarget().kind());
        target.put("name", object.scaleTarget().name());
        row.put("scaleTarget", target);
        row.put("minReplicaCount", object.scaling().minReplicaCount());
        row.put("maxReplicaCount", object.scaling().maxReplicaCount());
        row.put("idleReplicaCount", object.scaling().idleReplicaCount());
        row.put("pollingInterval", object.pollingIntervalSeconds());
        row.put("cooldownPeriod", object.scaling().cooldownPeriodSeconds());
        if (object.scaling().fallback() == null) {
            row.put("fallback", null);
        } else {
            Map<String, Object> fallback = new LinkedHashMap<>();
            fallback.put("failureThreshold", object.scaling().fallback().failureThreshold());
            fallback.put("replicas", object.scaling().fallback().replicas());
            row.put("fallback", fallback);
        }
        return row;
    }

    private static Map<String, Object> auth(AwsAuth auth) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", auth.method().json());
        if (auth.roleArn() != null) {
            json.put("roleArn", auth.roleArn());
        }
        if (auth.podIdentityProvider() != null) {
            json.put("podIdentityProvider", auth.podIdentityProvider());
        }
        json.put("sessionToken", auth.hasSessionToken());
        // Whether an awsExternalId goes with the AssumeRole; its value is never printed.
        json.put("externalId", auth.hasExternalId());
        if (!auth.unresolvedSecrets().isEmpty()) {
            json.put("resolvedAtRunTime", auth.unresolvedSecrets());
        }
        return json;
    }

    static String textLine(ScaledObjectConfig object, TriggerConfig trigger) {
        AwsAuth auth = trigger.auth();
        String authText = auth.method().json() + (auth.roleArn() != null ? " " + auth.roleArn() : "")
                + (auth.hasSessionToken() ? " +sessionToken" : "") + (auth.hasExternalId() ? " +externalId" : "")
                + (auth.unresolvedSecrets().isEmpty() ? "" : " (secrets at run time: " + auth.unresolvedSecrets() + ")");
        return String.format("%s trigger %d %s: table %s in %s%s, shardCount %d, activation %d, metric %s (%s),"
                        + " owner %s, countClosedShards %s, auth %s -> %s %s/%s, replicas %d..%d (%s)",
                object.id(), trigger.index(), trigger.type(), trigger.tableName(), trigger.awsRegion(),
                trigger.awsEndpoint() == null ? "" : " at " + trigger.awsEndpoint(), trigger.shardCount(),
                trigger.activationShardCount(), trigger.metricName(), trigger.metricType().keda(),
                trigger.identityOwner().name().toLowerCase(), trigger.kclLeaseTable() == null
                        ? String.valueOf(trigger.countClosedShards())
                        : "n/a (kclLeaseTable " + trigger.kclLeaseTable().name() + ": shards with work left)", authText,
                object.scaleTarget().kind(), object.id().split("/")[0], object.scaleTarget().name(),
                object.scaling().minReplicaCount(), object.scaling().maxReplicaCount(), object.sourceFile());
    }
}
