package io.ddbstreamscaler.fault;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static io.ddbstreamscaler.fault.MalformedDocument.rejected;
import static io.ddbstreamscaler.fault.Templates.BAD_SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.SECRET;
import static io.ddbstreamscaler.fault.Templates.TRIGGER_AUTH;

/** Huge values (2^63, 1e308, 10 MB strings, 100k triggers) and values out of their range. */
final class ValueCases {

    static final BigInteger TWO_TO_63 = BigInteger.TWO.pow(63);
    static final int TEN_MB = 10 * 1024 * 1024;
    static final int MANY = 100_000;
    private static final String TRIGGER = "spec.triggers[0]";
    private static final String META = TRIGGER + ".metadata";
    private static final String BEHAVIOR = "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp";
    /** The API server refuses a request body over 3 MiB: no such object can exist in a cluster. */
    static final String TOO_BIG = "more than the 3145728 bytes the Kubernetes API server accepts in one request";

    private ValueCases() {
    }

    static List<MalformedDocument> huge() {
        List<MalformedDocument> cases = new ArrayList<>();
        cases.add(value(Category.HUGE_VALUE, META + ".shardCount", TWO_TO_63.toString(),
                "must be a whole number of at most 9223372036854775807 (and at least -9223372036854775808),"
                        + " got \"9223372036854775808\""));
        cases.add(value(Category.HUGE_VALUE, META + ".shardCount", "1e308", "must be a whole number, got \"1e308\""));
        cases.add(value(Category.HUGE_VALUE, META + ".activationShardCount", TWO_TO_63.negate().subtract(BigInteger.ONE)
                .toString(), "must be a whole number of at most"));
        cases.add(value(Category.HUGE_VALUE, "spec.minReplicaCount", TWO_TO_63, "must fit in 32 bits, got " + TWO_TO_63));
        cases.add(value(Category.HUGE_VALUE, "spec.maxReplicaCount", 1e308, "must be a whole number, got 1.0E308"));
        cases.add(value(Category.HUGE_VALUE, "spec.pollingInterval", 2_147_483_648L, "must fit in 32 bits, got 2147483648"));
        cases.add(value(Category.HUGE_VALUE, "spec.cooldownPeriod", TWO_TO_63.negate(), "must fit in 32 bits"));
        cases.add(value(Category.HUGE_VALUE, "spec.fallback.replicas", -1e308, "must be a whole number, got -1.0E308"));
        cases.add(value(Category.HUGE_VALUE, BEHAVIOR + ".policies[0].value", TWO_TO_63.pow(4), "must fit in 32 bits"));

        String tenMb = "x".repeat(TEN_MB);
        cases.add(huge(SCALED_OBJECT, META + ".tableName", tenMb));
        cases.add(huge(SCALED_OBJECT, META + ".awsRegion", tenMb));
        cases.add(huge(SCALED_OBJECT, "metadata.annotations.note", tenMb));
        cases.add(huge(SECRET, "stringData.AWS_SESSION_TOKEN", "SECRET-CANARY-@N@-" + tenMb));
        cases.add(huge(TRIGGER_AUTH, "spec.secretTargetRef[0].key", tenMb));
        cases.add(huge(SCALED_OBJECT, "metadata.name", tenMb));
        // Names under the size limit but over Kubernetes' own: each would be repeated in every message of the object.
        String tenKb = "x".repeat(10 * 1024);
        cases.add(rejected("ScaledObject metadata.name of 10 kB", Category.HUGE_VALUE,
                Templates.mutate(SCALED_OBJECT, Templates.path("metadata.name"), tenKb), StructureCases.DOCUMENT,
                "metadata.name", "must be at most 253 characters, got 10240"));
        cases.add(rejected("ScaledObject metadata.namespace of 10 kB", Category.HUGE_VALUE,
                Templates.mutate(SCALED_OBJECT, Templates.path("metadata.namespace"), tenKb), StructureCases.DOCUMENT,
                "metadata.namespace", "must be at most 63 characters, got 10240"));
        cases.add(rejected("Secret metadata.name with a forged error line", Category.HUGE_VALUE,
                Templates.mutate(SECRET, Templates.path("metadata.name"), "x\nerror: forged"), StructureCases.DOCUMENT,
                "metadata.name", "must be a lowercase DNS-1123 subdomain"));

        cases.add(many(SCALED_OBJECT, "spec.triggers",
                i -> "{type: aws-dynamodb-streams, metadata: {tableName: t" + i + ", awsRegion: eu-west-1}}"));
        cases.add(many(TRIGGER_AUTH, "spec.secretTargetRef",
                i -> "{parameter: p" + i + ", name: bad-creds-@N@, key: AWS_ACCESS_KEY_ID}"));
        cases.add(many(SECRET, "stringData", i -> "KEY_" + i + ": SECRET-CANARY-@N@-" + i));
        return cases;
    }

    static List<MalformedDocument> outOfRange() {
        List<MalformedDocument> cases = new ArrayList<>();
        Category c = Category.OUT_OF_RANGE;
        cases.add(value(c, META + ".shardCount", "0", "must be at least 1, got 0"));
        cases.add(value(c, META + ".shardCount", "-1", "must be at least 1, got -1"));
        cases.add(value(c, META + ".shardCount", "1.5", "must be a whole number, got \"1.5\""));
        cases.add(value(c, META + ".activationShardCount", "-1", "must be at least 0, got -1"));
        cases.add(value(c, "spec.pollingInterval", -1, "must be at least 1, got -1"));
        cases.add(value(c, "spec.pollingInterval", 0, "must be at least 1, got 0"));
        cases.add(value(c, "spec.minReplicaCount", -1, "must be at least 0, got -1"));
        cases.add(value(c, "spec.minReplicaCount", 8, "MinReplicaCount=8 must be less than MaxReplicaCount=7"));
        cases.add(value(c, "spec.maxReplicaCount", 0, "must be at least 1, got 0"));
        cases.add(value(c, "spec.idleReplicaCount", 1, "IdleReplicaCount=1 must be less than MinReplicaCount=1"));
        cases.add(value(c, "spec.cooldownPeriod", -5, "must be at least 0, got -5"));
        cases.add(value(c, "spec.fallback.replicas", -1, "must be at least 0, got -1"));
        cases.add(value(c, "spec.fallback.failureThreshold", -3, "must be at least 0, got -3"));
        cases.add(value(c, BEHAVIOR + ".stabilizationWindowSeconds", 3601, "must be at most 3600, got 3601"));
        cases.add(value(c, BEHAVIOR + ".policies[0].periodSeconds", 1801, "must be at most 1800, got 1801"));
        cases.add(value(c, BEHAVIOR + ".policies[0].periodSeconds", 0, "must be at least 1, got 0"));
        cases.add(value(c, BEHAVIOR + ".policies[0].value", 0, "must be at least 1, got 0"));
        cases.add(value(c, BEHAVIOR + ".policies[0].type", "Bananas", "must be Pods or Percent, got \"Bananas\""));
        cases.add(value(c, BEHAVIOR + ".selectPolicy", "Maximum", "must be Max, Min or Disabled, got \"Maximum\""));
        cases.add(value(c, TRIGGER + ".metricType", "Utilization", "'Utilization' metric type is unsupported"));
        cases.add(value(c, TRIGGER + ".metricType", "Bogus", "must be AverageValue or Value, got \"Bogus\""));
        cases.add(value(c, META + ".identityOwner", "nobody", "must be pod or operator, got \"nobody\""));
        cases.add(value(c, META + ".countClosedShards", "yes", "must be true or false, got \"yes\""));
        cases.add(value(c, META + ".awsEndpoint", "ftp://files.example.com", "must be an http:// or https:// URL"));
        cases.add(value(c, META + ".awsEndpoint", "http://", "must be an http:// or https:// URL"));
        cases.add(value(c, TRIGGER + ".authenticationRef.kind", "SecretStore",
                "must be TriggerAuthentication or ClusterTriggerAuthentication, got \"SecretStore\""));
        String annotations = "metadata.annotations.";
        cases.add(rejected("ScaledObject paused-replicas annotation -3", c, Templates.mutate(SCALED_OBJECT,
                        List.of("metadata", "annotations", "autoscaling.keda.sh/paused-replicas"), "-3"), BAD_SCALED_OBJECT,
                annotations + "autoscaling.keda.sh/paused-replicas", "must be a whole number >= 0, got \"-3\""));
        cases.add(rejected("ScaledObject paused annotation maybe", c, Templates.mutate(SCALED_OBJECT,
                        List.of("metadata", "annotations", "autoscaling.keda.sh/paused"), "maybe"), BAD_SCALED_OBJECT,
                annotations + "autoscaling.keda.sh/paused", "must be true or false, got \"maybe\""));
        cases.add(rejected("ScaledObject fallback with metricType Value", c, Templates.mutate(SCALED_OBJECT,
                        Templates.path(TRIGGER + ".metricType"), "Value"), BAD_SCALED_OBJECT, "spec.fallback",
                "Fallback can only be enabled for triggers with metric of type AverageValue"));
        return cases;
    }

    private static MalformedDocument value(Category category, String path, Object value, String message) {
        return rejected("ScaledObject " + path + " = " + value, category,
                Templates.mutate(SCALED_OBJECT, Templates.path(path), value), BAD_SCALED_OBJECT, path, message);
    }

    /** Over the API server's limit: refused before parsing, so named by its document. */
    private static MalformedDocument huge(String template, String path, String value) {
        return rejected(StructureCases.kindOf(template) + " " + path + " of " + value.length() / (1024 * 1024) + " MB",
                Category.HUGE_VALUE, Templates.mutate(template, Templates.path(path), value), StructureCases.DOCUMENT,
                null, TOO_BIG);
    }

    /** {@value #MANY} flow entries at {@code path}, written as text (a tree of that size is slow to serialise). */
    private static MalformedDocument many(String template, String path,
                                          java.util.function.IntFunction<String> entry) {
        boolean mapping = path.equals("stringData");
        StringBuilder entries = new StringBuilder(mapping ? "{" : "[");
        for (int i = 0; i < MANY; i++) {
            entries.append(i == 0 ? "" : ", ").append(entry.apply(i));
        }
        entries.append(mapping ? "}" : "]");
        String text = Templates.mutate(template, Templates.path(path), "@MANY@").replace("\"@MANY@\"", entries);
        return rejected(StructureCases.kindOf(template) + " " + path + " of " + MANY + " entries", Category.HUGE_VALUE,
                text, StructureCases.DOCUMENT, null, TOO_BIG);
    }
}
