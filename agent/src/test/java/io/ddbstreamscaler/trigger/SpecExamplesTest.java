package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.policy.ScalingSettings;
import io.ddbstreamscaler.trigger.AwsAuth.Method;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The spec's two examples, verbatim in examples/, load into exactly what the spec means. */
class SpecExamplesTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("IAM role", Path.of("examples/keda-iam-role.yaml"),
                        new AwsAuth(Method.ROLE, "arn:aws:iam::123456789012:role/keda-dynamodb-streams", null, null, null,
                                null, List.of())),
                Arguments.of("IAM users", Path.of("examples/keda-iam-users.yaml"),
                        new AwsAuth(Method.STATIC, null, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                "FwoGZXIvYXdzEXAMPLESESSIONTOKEN", null, List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void loadsSpecExample(String row, Path file, AwsAuth auth) {
        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));

        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.warnings());
        assertEquals(List.of(), result.notes());
        assertEquals(List.of(new ScaledObjectConfig(file, "keda-test", "aws-dynamodb-stream-scaledobject",
                new ScaleTargetRef("apps/v1", "Deployment", "nginx-deployment"), 30, ScalingSettings.kedaDefaults(),
                List.of(new TriggerConfig(0, "aws-dynamodb-stream", null, MetricType.AVERAGE_VALUE, "keda-events",
                        "ap-northeast-1", null, 2, 0, IdentityOwner.POD, true, "s0-aws-dynamodb-streams-keda-events",
                        auth)))), result.scaledObjects());
    }

    @org.junit.jupiter.api.Test
    void loadsBothExamplesFromTheFolderWithADuplicateWarning() {
        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(Path.of("examples")));

        assertEquals(List.of(), result.errors());
        assertEquals(List.of(Method.ROLE, Method.STATIC), result.scaledObjects().stream()
                .map(o -> o.triggers().get(0).auth().method()).toList());
        assertEquals(List.of(Path.of("examples/keda-iam-users.yaml") + ": ScaledObject keda-test/aws-dynamodb-stream-scaledobject:"
                + " metadata.name: is also defined in " + Path.of("examples/keda-iam-role.yaml")
                + ": both are loaded; applied to one cluster, the later would replace the earlier"), result.warnings());
    }
}
