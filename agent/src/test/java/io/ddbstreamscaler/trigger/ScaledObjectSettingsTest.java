package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.Fallback;
import io.ddbstreamscaler.policy.HpaBehavior;
import io.ddbstreamscaler.policy.HpaScalingPolicy;
import io.ddbstreamscaler.policy.HpaScalingRules;
import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.policy.ScalingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ScaledObject settings, defaults and the webhook's rules ({@code kedacore/keda: apis/keda/v1alpha1/scaledobject_types.go},
 * {@code scaledobject_webhook.go}) and the HPA behavior rules ({@code kubernetes/kubernetes:
 * pkg/apis/autoscaling/validation/validation.go}), one named row each.
 */
class ScaledObjectSettingsTest {

    private static final String TARGET = "  scaleTargetRef: {name: consumer}\n";
    private static final String NO_ANNOTATIONS = "{}";
    private static final String OPERATOR = "    metadata: {tableName: t, awsRegion: eu-west-1, identityOwner: operator}\n";

    @TempDir
    Path dir;

    static String scaledObject(String annotations, String specLines, String triggerLines) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: so
                  namespace: keda-test
                  annotations: %s
                spec:
                %s  triggers:
                  - type: aws-dynamodb-stream
                %s""".formatted(annotations, specLines, triggerLines);
    }

    static Stream<Arguments> validRows() {
        ScalingSettings defaults = ScalingSettings.kedaDefaults();
        return Stream.of(
                Arguments.of("KEDA defaults", NO_ANNOTATIONS, TARGET, OPERATOR, defaults, 30,
                        new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE),
                Arguments.of("every replica setting", "{autoscaling.keda.sh/paused-replicas: '2', autoscaling.keda.sh/paused: 'true'}",
                        TARGET + """
                                  pollingInterval: 15
                                  cooldownPeriod: 60
                                  initialCooldownPeriod: 30
                                  idleReplicaCount: 0
                                  minReplicaCount: 1
                                  maxReplicaCount: 10
                                  fallback: {failureThreshold: 3, replicas: 4}
                                """, OPERATOR,
                        new ScalingSettings(1, 10, 0, 60, 30, new Fallback(3, 4), null, 2, true), 15,
                        new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE),
                Arguments.of("HPA behavior both directions", NO_ANNOTATIONS, TARGET + """
                                  advanced:
                                    horizontalPodAutoscalerConfig:
                                      behavior:
                                        scaleUp: {selectPolicy: Max}
                                        scaleDown:
                                          stabilizationWindowSeconds: 60
                                          selectPolicy: Min
                                          policies:
                                          - {type: Pods, value: 1, periodSeconds: 60}
                                          - {type: Percent, value: 50, periodSeconds: 30}
                                """, OPERATOR,
                        new ScalingSettings(0, 100, null, 300, 0, null, new HpaBehavior(
                                new HpaScalingRules(null, HpaScalingRules.SelectPolicy.MAX, null),
                                new HpaScalingRules(60, HpaScalingRules.SelectPolicy.MIN, List.of(
                                        new HpaScalingPolicy(HpaScalingPolicy.Type.PODS, 1, 60),
                                        new HpaScalingPolicy(HpaScalingPolicy.Type.PERCENT, 50, 30)))),
                                null, false), 30,
                        new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE),
                Arguments.of("HPA behavior at its bounds: a 3600 s window, a 1800 s period", NO_ANNOTATIONS,
                        TARGET + behavior("stabilizationWindowSeconds: 3600\n          selectPolicy: Disabled\n"
                                + "          policies: [{type: Pods, value: 1, periodSeconds: 1800}]"), OPERATOR,
                        new ScalingSettings(0, 100, null, 300, 0, null, new HpaBehavior(null,
                                new HpaScalingRules(3600, HpaScalingRules.SelectPolicy.DISABLED, List.of(
                                        new HpaScalingPolicy(HpaScalingPolicy.Type.PODS, 1, 1800)))),
                                null, false), 30,
                        new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE),
                Arguments.of("StatefulSet target, Value metric", NO_ANNOTATIONS,
                        "  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}\n",
                        "    metricType: Value\n" + OPERATOR, defaults, 30,
                        new ScaleTargetRef("apps/v1", "StatefulSet", "db"), MetricType.VALUE),
                Arguments.of("the largest 32-bit count (31 bits) fits", NO_ANNOTATIONS,
                        TARGET + "  maxReplicaCount: 2147483647\n", OPERATOR,
                        new ScalingSettings(0, 2147483647, null, 300, 0, null, null, null, false), 30,
                        new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE),
                Arguments.of("min equal to max, paused at 0 replicas", "{autoscaling.keda.sh/paused-replicas: '0'}",
                        TARGET + "  minReplicaCount: 3\n  maxReplicaCount: 3\n", OPERATOR,
                        new ScalingSettings(3, 3, null, 300, 0, null, null, 0, false), 30,
                        new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE),
                Arguments.of("metricType AverageValue, written out", NO_ANNOTATIONS, TARGET, "    metricType: AverageValue\n" + OPERATOR,
                        defaults, 30, new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE),
                Arguments.of("paused false", "{autoscaling.keda.sh/paused: 'false'}", TARGET, OPERATOR, defaults, 30,
                        new ScaleTargetRef("apps/v1", "Deployment", "consumer"), MetricType.AVERAGE_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRows")
    void parsesSettings(String row, String annotations, String specLines, String triggerLines, ScalingSettings expected,
                        int pollingInterval, ScaleTargetRef target, MetricType metricType) {
        LoadResult result = load(scaledObject(annotations, specLines, triggerLines));

        assertEquals(List.of(), result.errors());
        ScaledObjectConfig object = result.scaledObjects().get(0);
        assertEquals(expected, object.scaling());
        assertEquals(pollingInterval, object.pollingIntervalSeconds());
        assertEquals(target, object.scaleTarget());
        assertEquals(metricType, object.triggers().get(0).metricType());
        assertEquals("keda-test/so", object.id());
    }

    static Stream<Arguments> errorRows() {
        return Stream.of(
                Arguments.of("an HPA policy that is not a mapping", TARGET + behavior("policies: [5]"), OPERATOR,
                        "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0]",
                        "must be a mapping, got integer"),
                Arguments.of("KEDA: min above max", TARGET + "  minReplicaCount: 5\n  maxReplicaCount: 2\n", OPERATOR,
                        "spec.minReplicaCount", "MinReplicaCount=5 must be less than MaxReplicaCount=2"),
                Arguments.of("KEDA: idle not below min", TARGET + "  idleReplicaCount: 2\n  minReplicaCount: 2\n", OPERATOR,
                        "spec.idleReplicaCount", "IdleReplicaCount=2 must be less than MinReplicaCount=2"),
                Arguments.of("KEDA: idle with min unset (min counts as 0)", TARGET + "  idleReplicaCount: 0\n", OPERATOR,
                        "spec.idleReplicaCount", "IdleReplicaCount=0 must be less than MinReplicaCount=0"),
                Arguments.of("KEDA: fallback failureThreshold below 0",
                        TARGET + "  fallback: {failureThreshold: -1, replicas: 2}\n", OPERATOR,
                        "spec.fallback.failureThreshold", "must be at least 0, got -1"),
                Arguments.of("KEDA: fallback replicas below 0", TARGET + "  fallback: {failureThreshold: 1, replicas: -2}\n",
                        OPERATOR, "spec.fallback.replicas", "must be at least 0, got -2"),
                Arguments.of("fallback without replicas", TARGET + "  fallback: {failureThreshold: 1}\n", OPERATOR,
                        "spec.fallback.replicas", "is required"),
                Arguments.of("KEDA: fallback needs AverageValue", TARGET + "  fallback: {failureThreshold: 1, replicas: 2}\n",
                        "    metricType: Value\n" + OPERATOR, "spec.fallback",
                        "Fallback can only be enabled for triggers with metric of type AverageValue"),
                Arguments.of("KEDA: Utilization rejected", TARGET, "    metricType: Utilization\n" + OPERATOR,
                        "spec.triggers[0].metricType", "'Utilization' metric type is unsupported for external metrics"),
                Arguments.of("unknown metricType", TARGET, "    metricType: Average\n" + OPERATOR,
                        "spec.triggers[0].metricType", "must be AverageValue or Value, got \"Average\""),
                Arguments.of("HPA: maxReplicaCount 0", TARGET + "  maxReplicaCount: 0\n", OPERATOR,
                        "spec.maxReplicaCount", "must be at least 1, got 0"),
                Arguments.of("int32 fields take numbers, not strings", TARGET + "  minReplicaCount: \"3\"\n", OPERATOR,
                        "spec.minReplicaCount", "must be a whole number, got \"3\""),
                Arguments.of("pollingInterval 0", TARGET + "  pollingInterval: 0\n", OPERATOR,
                        "spec.pollingInterval", "must be at least 1, got 0"),
                Arguments.of("negative cooldownPeriod", TARGET + "  cooldownPeriod: -5\n", OPERATOR,
                        "spec.cooldownPeriod", "must be at least 0, got -5"),
                Arguments.of("no scaleTargetRef", "", OPERATOR, "spec.scaleTargetRef", "is required"),
                Arguments.of("scaleTargetRef without name", "  scaleTargetRef: {kind: Deployment}\n", OPERATOR,
                        "spec.scaleTargetRef.name", "is required"),
                Arguments.of("HPA: policy type", TARGET + behavior("policies: [{type: Replicas, value: 1, periodSeconds: 15}]"),
                        OPERATOR, "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].type",
                        "must be Pods or Percent, got \"Replicas\""),
                Arguments.of("HPA: periodSeconds above 1800",
                        TARGET + behavior("policies: [{type: Pods, value: 1, periodSeconds: 1801}]"), OPERATOR,
                        "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].periodSeconds",
                        "must be at most 1800, got 1801"),
                Arguments.of("HPA: policy value 0", TARGET + behavior("policies: [{type: Pods, value: 0, periodSeconds: 15}]"),
                        OPERATOR, "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].value",
                        "must be at least 1, got 0"),
                Arguments.of("HPA: a policy without its value", TARGET + behavior("policies: [{type: Pods, periodSeconds: 15}]"),
                        OPERATOR, "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].value",
                        "is required"),
                Arguments.of("HPA: a policy without its period", TARGET + behavior("policies: [{type: Percent, value: 10}]"),
                        OPERATOR, "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].periodSeconds",
                        "is required"),
                Arguments.of("HPA: stabilization window above 3600", TARGET + behavior("stabilizationWindowSeconds: 3601"),
                        OPERATOR, "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds",
                        "must be at most 3600, got 3601"),
                Arguments.of("HPA: selectPolicy", TARGET + behavior("selectPolicy: Maximum"), OPERATOR,
                        "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.selectPolicy",
                        "must be Max, Min or Disabled, got \"Maximum\""),
                Arguments.of("authenticationRef kind", TARGET, "    authenticationRef: {name: a, kind: Secret}\n"
                                + "    metadata: {tableName: t, awsRegion: eu-west-1}\n",
                        "spec.triggers[0].authenticationRef.kind", "must be TriggerAuthentication or ClusterTriggerAuthentication"),
                Arguments.of("authenticationRef to a missing TriggerAuthentication", TARGET,
                        "    authenticationRef: {name: absent}\n    metadata: {tableName: t, awsRegion: eu-west-1}\n",
                        "spec.triggers[0].authenticationRef", "TriggerAuthentication keda-test/absent is not in the given files"),
                Arguments.of("metadata must be a mapping", TARGET, "    metadata: [tableName]\n",
                        "spec.triggers[0].metadata", "must be a mapping, got a list"));
    }

    private static String behavior(String scaleDownLine) {
        return """
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown:
                          %s
                """.formatted(scaleDownLine);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorRows")
    void reportsError(String row, String specLines, String triggerLines, String field, String message) {
        LoadResult result = load(scaledObject(NO_ANNOTATIONS, specLines, triggerLines));

        assertEquals(List.of(), result.scaledObjects());
        assertTrue(result.errors().stream().anyMatch(e -> field.equals(e.field()) && e.message().contains(message)
                        && "ScaledObject keda-test/so".equals(e.object())),
                () -> "expected " + field + ": ..." + message + "... in " + result.errors());
    }

    static Stream<Arguments> annotationRows() {
        return Stream.of(
                Arguments.of("paused-replicas not a number", "{autoscaling.keda.sh/paused-replicas: x}",
                        "metadata.annotations.autoscaling.keda.sh/paused-replicas", "must be a whole number >= 0, got \"x\""),
                Arguments.of("paused-replicas negative", "{autoscaling.keda.sh/paused-replicas: '-1'}",
                        "metadata.annotations.autoscaling.keda.sh/paused-replicas", "got \"-1\""),
                Arguments.of("paused not a boolean", "{autoscaling.keda.sh/paused: 'yes'}",
                        "metadata.annotations.autoscaling.keda.sh/paused", "must be true or false, got \"yes\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("annotationRows")
    void reportsAnnotationError(String row, String annotations, String field, String message) {
        LoadResult result = load(scaledObject(annotations, TARGET, OPERATOR));

        assertEquals(1, result.errors().size(), () -> result.errors().toString());
        assertEquals(field, result.errors().get(0).field());
        assertTrue(result.errors().get(0).message().contains(message), result.errors().get(0).message());
    }

    @Test
    void reportsAllErrorsOfOneObjectTogether() {
        LoadResult result = load(scaledObject(NO_ANNOTATIONS, "  minReplicaCount: 5\n  maxReplicaCount: 2\n",
                "    metadata: {shardCount: a, awsRegion: eu-west-1, identityOwner: operator}\n"));

        assertEquals(List.of("spec.scaleTargetRef", "spec.minReplicaCount", "spec.triggers[0].metadata.tableName",
                        "spec.triggers[0].metadata.shardCount"),
                result.errors().stream().map(ConfigError::field).toList());
        assertEquals(List.of(), result.scaledObjects());
    }

    @Test
    void rejectsDuplicateTriggerNames() {
        String trigger = "    name: dup\n" + OPERATOR;
        LoadResult result = load(scaledObject(NO_ANNOTATIONS, TARGET, trigger + "  - type: aws-dynamodb-streams\n" + trigger));

        assertEquals(1, result.errors().size(), () -> result.errors().toString());
        ConfigError error = result.errors().get(0);
        assertEquals(1, error.triggerIndex());
        assertEquals("spec.triggers[1].name", error.field());
        assertEquals("triggerName \"dup\" is defined multiple times", error.message());
    }

    private LoadResult load(String text) {
        Path file = TriggerFiles.write(dir, "so.yaml", text);
        return new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));
    }
}
