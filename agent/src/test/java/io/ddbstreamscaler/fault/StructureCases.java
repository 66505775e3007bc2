package io.ddbstreamscaler.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ddbstreamscaler.fault.MalformedDocument.rejected;
import static io.ddbstreamscaler.fault.Templates.ABSENT;
import static io.ddbstreamscaler.fault.Templates.BAD_AUTH;
import static io.ddbstreamscaler.fault.Templates.BAD_SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.BAD_SECRET;
import static io.ddbstreamscaler.fault.Templates.SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.SECRET;
import static io.ddbstreamscaler.fault.Templates.TRIGGER_AUTH;

/**
 * Wrong types at every field the parser reads (a list or a mapping where a single value goes, a scalar where a
 * mapping or a list goes, text, booleans and decimals where a whole number goes) and missing required fields. Each
 * case is one template with one mutation. List and mapping values carry a canary: no message may print them.
 */
final class StructureCases {

    /** A header problem is reported before the object has a usable name: it is named by its document. */
    static final String DOCUMENT = "document ";

    private enum Shape {
        LIST(List.of("SECRET-CANARY-@N@-list"), "a list", "a list"),
        MAPPING(Map.of("k", "SECRET-CANARY-@N@-map"), "a mapping", "a mapping"),
        TEXT("seven", "text", "\"seven\""),
        NUMBER(7, "integer", "7"),
        BOOLEAN(true, "boolean", "true"),
        DECIMAL(1.5, "double", "1.5");

        final Object value;
        /** As "must be a mapping, got ..." describes it. */
        final String described;
        /** As "must be a whole number, got ..." shows it: scalars are shown, collections (maybe secret) are not. */
        final String shown;

        Shape(Object value, String described, String shown) {
            this.value = value;
            this.described = described;
            this.shown = shown;
        }
    }

    private StructureCases() {
    }

    static List<MalformedDocument> wrongTypes() {
        List<MalformedDocument> cases = new ArrayList<>();
        // Header fields: the object cannot be named yet.
        singleValues(cases, SCALED_OBJECT, DOCUMENT, "apiVersion", "kind", "metadata.name", "metadata.namespace");
        mappings(cases, SCALED_OBJECT, DOCUMENT, "metadata");
        singleValues(cases, SCALED_OBJECT, BAD_SCALED_OBJECT, "metadata.annotations.note", "spec.scaleTargetRef.name",
                "spec.scaleTargetRef.kind", "spec.triggers[0].type", "spec.triggers[0].name",
                "spec.triggers[0].metricType", "spec.triggers[0].metadata.tableName",
                "spec.triggers[0].metadata.awsRegion", "spec.triggers[0].metadata.shardCount",
                "spec.triggers[0].authenticationRef.name", "spec.triggers[0].authenticationRef.kind");
        mappings(cases, SCALED_OBJECT, BAD_SCALED_OBJECT, "metadata.annotations", "spec", "spec.scaleTargetRef",
                "spec.triggers[0]", "spec.triggers[0].metadata", "spec.triggers[0].authenticationRef", "spec.fallback",
                "spec.advanced", "spec.advanced.horizontalPodAutoscalerConfig",
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp");
        lists(cases, SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers",
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies");
        wholeNumbers(cases, SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.pollingInterval", "spec.minReplicaCount",
                "spec.maxReplicaCount", "spec.cooldownPeriod", "spec.idleReplicaCount", "spec.fallback.replicas",
                "spec.fallback.failureThreshold",
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].periodSeconds");
        for (Shape shape : List.of(Shape.BOOLEAN, Shape.DECIMAL)) {
            // Trigger metadata is text (map[string]string in KEDA): the number inside must parse as a whole number.
            cases.add(wrong(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].metadata.shardCount", shape,
                    "must be a whole number, got \"" + shape.value + "\""));
        }

        mappings(cases, TRIGGER_AUTH, DOCUMENT, "metadata");
        singleValues(cases, TRIGGER_AUTH, BAD_AUTH, "spec.secretTargetRef[0].parameter", "spec.secretTargetRef[0].name",
                "spec.secretTargetRef[1].key", "spec.env[0].name", "spec.env[0].parameter", "spec.podIdentity.provider");
        mappings(cases, TRIGGER_AUTH, BAD_AUTH, "spec", "spec.secretTargetRef[0]", "spec.env[0]", "spec.podIdentity");
        lists(cases, TRIGGER_AUTH, BAD_AUTH, "spec.secretTargetRef", "spec.env");

        singleValues(cases, SECRET, DOCUMENT, "metadata.name");
        singleValues(cases, SECRET, BAD_SECRET, "data.AWS_SECRET_ACCESS_KEY", "stringData.AWS_SESSION_TOKEN");
        mappings(cases, SECRET, BAD_SECRET, "data", "stringData");
        return cases;
    }

    static List<MalformedDocument> missingFields() {
        List<MalformedDocument> cases = new ArrayList<>();
        cases.add(missing(SCALED_OBJECT, DOCUMENT, "kind", ABSENT, "kind", "is required (not a Kubernetes object)"));
        cases.add(missing(SCALED_OBJECT, DOCUMENT, "metadata", ABSENT, "metadata.name", "is required"));
        cases.add(missing(SCALED_OBJECT, DOCUMENT, "metadata.name", ABSENT, "metadata.name", "is required"));
        cases.add(missing(SCALED_OBJECT, DOCUMENT, "metadata.name", "  ", "metadata.name", "is required"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec", ABSENT, "spec", "is required"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec", null, "spec", "is required"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.scaleTargetRef", ABSENT, "spec.scaleTargetRef",
                "is required"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.scaleTargetRef.name", ABSENT,
                "spec.scaleTargetRef.name", "is required"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.scaleTargetRef.name", "", "spec.scaleTargetRef.name",
                "is required"));
        for (Object gone : java.util.Arrays.asList(ABSENT, null, " ")) {
            String how = gone == ABSENT ? "absent" : gone == null ? "null" : "blank";
            cases.add(named(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].metadata.tableName", gone,
                    "spec.triggers[0].metadata.tableName", "is required"), how));
            cases.add(named(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].metadata.awsRegion", gone,
                    "spec.triggers[0].metadata.awsRegion", "is required"), how));
        }
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].authenticationRef.name", ABSENT,
                "spec.triggers[0].authenticationRef.name", "is required"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].authenticationRef", ABSENT,
                "spec.triggers[0].authenticationRef", "awsAccessKeyID not found"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].authenticationRef.name",
                "missing-auth-@N@", "spec.triggers[0].authenticationRef",
                "TriggerAuthentication fault/missing-auth-@N@ is not in the given files"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].authenticationRef",
                Map.of("name", "missing-auth-@N@", "kind", "ClusterTriggerAuthentication"),
                "spec.triggers[0].authenticationRef", "ClusterTriggerAuthentication missing-auth-@N@ is not in the given files"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.fallback.replicas", ABSENT, "spec.fallback.replicas",
                "is required"));
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT,
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].type", ABSENT,
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].type", "is required"));
        cases.add(skipped(SCALED_OBJECT, "apiVersion", ABSENT, "with apiVersion null is not KEDA's"));
        cases.add(skippedWithNote(SCALED_OBJECT, "spec.triggers", "no aws-dynamodb-stream(s) trigger (types []): skipped"));
        // KEDA's CRD requires a type: a trigger without one is nobody's, so it is an error rather than skipped.
        cases.add(missing(SCALED_OBJECT, BAD_SCALED_OBJECT, "spec.triggers[0].type", ABSENT, "spec.triggers[0].type",
                "is required"));

        // References: the TriggerAuthentication names a Secret, or a key, that is not there.
        cases.add(withScaledObject(missing(TRIGGER_AUTH, BAD_SCALED_OBJECT, "spec.secretTargetRef[0].name",
                "missing-creds-@N@", "spec.triggers[0].authenticationRef",
                "Secret fault/missing-creds-@N@ is neither in the given files nor in the cluster"))
                .withOutcome(Outcome.REJECTED_WHEN_CLUSTER_CHECKED));
        cases.add(withScaledObject(missing(TRIGGER_AUTH, BAD_SCALED_OBJECT, "spec.secretTargetRef[1].key", "NO_SUCH_KEY",
                "spec.triggers[0].authenticationRef", "has no key \"NO_SUCH_KEY\" (parameter awsSecretAccessKey)")));
        for (String field : List.of("parameter", "name", "key")) {
            cases.add(missing(TRIGGER_AUTH, BAD_AUTH, "spec.secretTargetRef[0]." + field, ABSENT,
                    "spec.secretTargetRef[0]." + field, "is required"));
        }
        cases.add(missing(TRIGGER_AUTH, BAD_AUTH, "spec.env[0].name", ABSENT, "spec.env[0].name", "is required"));
        cases.add(missing(TRIGGER_AUTH, BAD_AUTH, "spec", ABSENT, "spec", "is required"));
        cases.add(missing(TRIGGER_AUTH, BAD_AUTH, "spec.podIdentity", Map.of("roleArn", "arn:aws:iam::1:role/r"),
                "spec.podIdentity.provider", "is required"));
        cases.add(missing(TRIGGER_AUTH, DOCUMENT, "metadata.name", ABSENT, "metadata.name", "is required"));
        cases.add(missing(SECRET, DOCUMENT, "metadata.name", ABSENT, "metadata.name", "is required"));
        cases.add(missing(SECRET, DOCUMENT, "kind", ABSENT, "kind", "is required (not a Kubernetes object)"));
        return cases;
    }

    private static void singleValues(List<MalformedDocument> cases, String template, String object, String... paths) {
        for (String path : paths) {
            for (Shape shape : List.of(Shape.LIST, Shape.MAPPING)) {
                cases.add(wrong(template, object, path, shape, "must be a single value, got " + shape.described));
            }
        }
    }

    private static void mappings(List<MalformedDocument> cases, String template, String object, String... paths) {
        for (String path : paths) {
            for (Shape shape : List.of(Shape.LIST, Shape.TEXT, Shape.NUMBER, Shape.BOOLEAN)) {
                cases.add(wrong(template, object, path, shape, "must be a mapping, got " + shape.described));
            }
        }
    }

    private static void lists(List<MalformedDocument> cases, String template, String object, String... paths) {
        for (String path : paths) {
            for (Shape shape : List.of(Shape.MAPPING, Shape.TEXT, Shape.NUMBER)) {
                cases.add(wrong(template, object, path, shape, "must be a list, got " + shape.described));
            }
        }
    }

    private static void wholeNumbers(List<MalformedDocument> cases, String template, String object, String... paths) {
        for (String path : paths) {
            for (Shape shape : List.of(Shape.TEXT, Shape.BOOLEAN, Shape.DECIMAL, Shape.LIST, Shape.MAPPING)) {
                cases.add(wrong(template, object, path, shape, "must be a whole number, got " + shape.shown));
            }
        }
    }

    private static MalformedDocument wrong(String template, String object, String path, Shape shape, String message) {
        return rejected(kindOf(template) + " " + path + " as " + shape.name().toLowerCase(), Category.WRONG_TYPE,
                Templates.mutate(template, Templates.path(path), shape.value), object, path, message);
    }

    private static MalformedDocument missing(String template, String object, String path, Object value, String field,
                                             String message) {
        String how = value == ABSENT ? "absent" : value == null ? "null" : "set to " + value;
        return rejected(kindOf(template) + " " + path + " " + how, Category.MISSING_FIELD,
                Templates.mutate(template, Templates.path(path), value), object, field, message);
    }

    private static MalformedDocument skipped(String template, String path, Object value, String warning) {
        return new MalformedDocument(kindOf(template) + " " + path + " absent", Category.MISSING_FIELD,
                Outcome.SKIPPED_WITH_WARNING, false, Templates.mutate(template, Templates.path(path), value), null,
                null, null, warning);
    }

    /** Not ours (no trigger at all): left alone, said in one note of the loader's skipped list. */
    private static MalformedDocument skippedWithNote(String template, String path, String note) {
        return new MalformedDocument(kindOf(template) + " " + path + " absent", Category.MISSING_FIELD,
                Outcome.SKIPPED_WITH_NOTE, false, Templates.mutate(template, Templates.path(path), ABSENT), null,
                null, null, note);
    }

    /** The bad TriggerAuthentication with the ScaledObject that uses it, which reports what is missing. */
    private static MalformedDocument withScaledObject(MalformedDocument document) {
        return new MalformedDocument(document.name(), document.category(), document.outcome(), document.ownFile(),
                document.text() + "\n---\n" + SCALED_OBJECT, null, document.expectedObject(), document.expectedField(),
                document.expectedMessage());
    }

    private static MalformedDocument named(MalformedDocument document, String how) {
        return new MalformedDocument(document.name().replaceAll(" (absent|null|set to .*)$", " " + how),
                document.category(), document.outcome(), document.ownFile(), document.text(), document.bytes(),
                document.expectedObject(), document.expectedField(), document.expectedMessage());
    }

    static String kindOf(String template) {
        return template.equals(SCALED_OBJECT) ? "ScaledObject" : template.equals(TRIGGER_AUTH) ? "TriggerAuthentication"
                : "Secret";
    }
}
