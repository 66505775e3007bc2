package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.MetricType;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses one {@code aws-dynamodb-stream(s)} trigger the way KEDA's {@code pkg/scalers/aws_dynamodb_streams_scaler.go}
 * reads it, but loud where KEDA is silently wrong: a bad {@code shardCount} is an error here (KEDA logs and uses 2),
 * and so are {@code shardCount < 1}, {@code activationShardCount < 0} and an unknown {@code identityOwner} (KEDA
 * treats any unknown owner as operator).
 */
final class DynamoDbStreamTriggerParser {

    /** The spec's spelling and KEDA's. */
    static final Set<String> TYPES = Set.of("aws-dynamodb-stream", "aws-dynamodb-streams");

    static final long DEFAULT_SHARD_COUNT = 2;
    static final long DEFAULT_ACTIVATION_SHARD_COUNT = 0;

    /** Every metadata key this trigger reads; others draw a warning (a typo would otherwise pass unnoticed). */
    static final Set<String> KNOWN_KEYS = Set.of("tableName", "awsRegion", "awsEndpoint", "shardCount",
            "activationShardCount", "identityOwner", "countClosedShards", "awsAccessKeyID", "awsAccessKeyIDFromEnv",
            "awsSecretAccessKeyFromEnv", KclLeaseTableParser.TABLE, KclLeaseTableParser.ENDPOINT);

    private DynamoDbStreamTriggerParser() {
    }

    /** Types nearer to ours than this many edits are taken for a misspelling of ours (KEDA's aws-dynamodb is 7 away). */
    static final int TYPE_TYPO_DISTANCE = 3;

    /** Defaults of the keys a misspelling most often leaves unset, said beside "did you mean". */
    private static final Map<String, String> DEFAULTS = Map.of("shardCount", Long.toString(DEFAULT_SHARD_COUNT),
            "activationShardCount", Long.toString(DEFAULT_ACTIVATION_SHARD_COUNT), "countClosedShards", "true",
            "identityOwner", "pod");

    static boolean isOurs(String type) {
        return type != null && TYPES.contains(type);
    }

    /** Our spelling nearest to {@code type} when it looks like a typo of it (case or a few edits), else empty. */
    static Optional<String> nearMiss(String type) {
        if (type == null || isOurs(type)) {
            return Optional.empty();
        }
        return NearestName.within(type, List.of("aws-dynamodb-streams", "aws-dynamodb-stream"), TYPE_TYPO_DISTANCE);
    }

    /** The trigger, or null when it has errors (all of them reported). */
    static TriggerConfig parse(int index, YamlView trigger, TriggerContext context, Problems problems) {
        MetricType metricType = metricType(trigger, problems);
        MetadataValues metadata = new MetadataValues(
                trigger.strings("metadata"), trigger.path("metadata"), problems);
        warnUnknownKeys(metadata, context.warn(problems));

        String tableName = metadata.required("tableName");
        URI endpoint = metadata.url("awsEndpoint");
        long shardCount = metadata.wholeNumber("shardCount", DEFAULT_SHARD_COUNT, 1);
        long activation = metadata.wholeNumber("activationShardCount", DEFAULT_ACTIVATION_SHARD_COUNT, 0);
        boolean countClosed = metadata.bool("countClosedShards", true);
        IdentityOwner owner = identityOwner(metadata, problems);
        KclLeaseTable leaseTable = KclLeaseTableParser.parse(metadata, problems);

        AuthParams params = AuthParams.NONE;
        YamlView ref = trigger.object("authenticationRef");
        String authField = trigger.path("authenticationRef");
        if (ref != null && owner != null) {
            AuthParamResolver.AuthRef authRef = authRef(ref, problems);
            if (authRef != null) {
                params = context.resolver().resolve(authRef, context.namespace(), context.file(), authField,
                        problems, context.notes());
            }
        }

        String region = metadata.string("awsRegion");
        // A broken authentication is already reported: choosing an identity from half of it would only add noise.
        boolean authBroken = params == null;
        params = authBroken ? AuthParams.NONE : params;
        if (region == null && params.get("awsRegion") != null) {
            region = params.get("awsRegion"); // KEDA: the region may come from the auth params too
        } else if (region == null) {
            problems.add(metadata.field("awsRegion"), params.has("awsRegion")
                    ? "is required in the trigger metadata when its Secret is resolved at run time"
                    : "is required (in the trigger metadata or the authentication parameters)");
        }

        AwsAuth auth = owner == null || authBroken ? null : AwsAuthParser.parse(owner, metadata.asMap(), params, context.env(),
                authField, problems, context.warn(problems));
        if (tableName == null || region == null || owner == null || auth == null || metricType == null) {
            return null;
        }
        return new TriggerConfig(index, trigger.string("type"), trigger.string("name"), metricType, tableName, region,
                endpoint, shardCount, activation, owner, countClosed, MetricNames.of(index, tableName), auth, leaseTable);
    }

    /** KEDA's GetMetricTargetType: AverageValue by default, Value, and Utilization rejected for external metrics. */
    private static MetricType metricType(YamlView trigger, Problems problems) {
        String value = trigger.string("metricType");
        if (value == null || value.equals(MetricType.AVERAGE_VALUE.keda())) {
            return MetricType.AVERAGE_VALUE;
        }
        if (value.equals(MetricType.VALUE.keda())) {
            return MetricType.VALUE;
        }
        problems.add(trigger.path("metricType"), value.equals("Utilization")
                ? "'Utilization' metric type is unsupported for external metrics, allowed values are 'Value' or 'AverageValue'"
                : "must be AverageValue or Value, got " + YamlView.quote(value));
        return null;
    }

    private static IdentityOwner identityOwner(MetadataValues metadata, Problems problems) {
        String value = metadata.string("identityOwner");
        if (value == null || value.equals("pod")) {
            return IdentityOwner.POD;
        }
        if (value.equals("operator")) {
            return IdentityOwner.OPERATOR;
        }
        problems.add(metadata.field("identityOwner"), "must be pod or operator, got " + YamlView.quote(value)
                + " (KEDA would silently treat it as operator)");
        return null;
    }

    private static AuthParamResolver.AuthRef authRef(YamlView ref, Problems problems) {
        String name = ref.string("name");
        String kind = ref.string("kind");
        if (name == null) {
            problems.add(ref.path("name"), "is required");
        }
        if (kind == null) {
            kind = TriggerAuthManifest.NAMESPACED;
        } else if (!kind.equals(TriggerAuthManifest.NAMESPACED) && !kind.equals(TriggerAuthManifest.CLUSTER)) {
            problems.add(ref.path("kind"), "must be TriggerAuthentication or ClusterTriggerAuthentication, got "
                    + YamlView.quote(kind));
            return null;
        }
        return name == null ? null : new AuthParamResolver.AuthRef(name, kind);
    }

    /**
     * A key this trigger does not read is ignored, as KEDA ignores it; say so per key, with the key it most likely
     * meant (and that key's value now, its default when it is unset: the typo's value is not used).
     */
    private static void warnUnknownKeys(MetadataValues metadata, Problems warnings) {
        Set<String> unknown = new TreeSet<>(metadata.asMap().keySet());
        unknown.removeAll(KNOWN_KEYS);
        for (String key : unknown) {
            int typo = key.length() >= 12 ? 3 : 2;
            Optional<String> meant = NearestName.within(key, new TreeSet<>(KNOWN_KEYS), typo);
            String hint = meant.map(k -> "; did you mean " + k + "?" + (metadata.string(k) == null && DEFAULTS.containsKey(k)
                    ? " (" + k + " is not set, so it is " + DEFAULTS.get(k) + ", its default)" : "")).orElse("");
            warnings.add(metadata.field(key), "is not a key of this trigger and is ignored" + hint);
        }
    }
}
