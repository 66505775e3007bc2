package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.trigger.AwsAuth.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The metadata KEDA forwards to an external scaler, row by row: the same parser as a YAML trigger, with identity
 * chosen from the metadata alone ({@code awsRoleArn}, resolved {@code …FromEnv} values, or the agent's own).
 */
class ExternalTriggerMetadataTest {

    static final String ROLE = "arn:aws:iam::210987654321:role/stream-reader";
    static final String KEY_ID = "AKIDPOD00000000001";
    static final String SECRET = "podSecret/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /** What a valid trigger resolved to; credential values only as "present". */
    record Summary(String tableName, long shardCount, long activationShardCount, boolean countClosedShards,
                   Method method, String roleArn, String accessKeyId, boolean secret, String metricName) {
        static Summary of(TriggerConfig t) {
            return new Summary(t.tableName(), t.shardCount(), t.activationShardCount(), t.countClosedShards(),
                    t.auth().method(), t.auth().roleArn(), t.auth().accessKeyId(), SECRET.equals(t.auth().secretAccessKey()),
                    t.metricName());
        }
    }

    static Map<String, String> metadata(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("scalerAddress", "scaler.keda:9090", "tableName", "orders",
                "awsRegion", "eu-west-1"));
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> validRows() {
        return Stream.of(
                Arguments.of("agent's own identity, defaults", metadata("identityOwner", "operator"),
                        new Summary("orders", 2, 0, true, Method.OPERATOR, null, null, false, "s0-aws-dynamodb-streams-orders")),
                Arguments.of("operator assuming awsRoleArn", metadata("identityOwner", "operator", "awsRoleArn", ROLE),
                        new Summary("orders", 2, 0, true, Method.ROLE, ROLE, null, false, "s0-aws-dynamodb-streams-orders")),
                Arguments.of("pod owner with awsRoleArn", metadata("awsRoleArn", ROLE, "shardCount", "4"),
                        new Summary("orders", 4, 0, true, Method.ROLE, ROLE, null, false, "s0-aws-dynamodb-streams-orders")),
                Arguments.of("keys resolved by KEDA from the container's environment",
                        metadata("awsAccessKeyIDFromEnv", KEY_ID, "awsSecretAccessKeyFromEnv", SECRET,
                                "countClosedShards", "false", "activationShardCount", "3"),
                        new Summary("orders", 2, 3, false, Method.STATIC, null, KEY_ID, true, "s0-aws-dynamodb-streams-orders")),
                Arguments.of("KEDA's TLS keys are its own and ignored",
                        metadata("identityOwner", "operator", "enableTLS", "true", "unsafeSsl", "false"),
                        new Summary("orders", 2, 0, true, Method.OPERATOR, null, null, false, "s0-aws-dynamodb-streams-orders")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRows")
    void valid(String name, Map<String, String> metadata, Summary expected) {
        assertEquals(expected, Summary.of(ExternalTriggerMetadata.fromExternalMetadata(metadata, "shop", "consumer")));
    }

    @Test
    void awsExternalIdGoesWithTheRoleToAssumeRole() {
        var auth = ExternalTriggerMetadata.fromExternalMetadata(metadata("identityOwner", "operator", "awsRoleArn", ROLE,
                "awsExternalId", "shared-secret-id"), "shop", "consumer").auth();
        assertEquals(Method.ROLE, auth.method());
        assertEquals("shared-secret-id", auth.externalId());
        assertFalse(auth.toString().contains("shared-secret-id"), "never printed: " + auth);
    }

    static Stream<Arguments> invalidRows() {
        return Stream.of(
                Arguments.of("bad shardCount", metadata("identityOwner", "operator", "shardCount", "2.5"),
                        List.of("ScaledObject shop/consumer: metadata.shardCount: must be a whole number, got \"2.5\"")),
                Arguments.of("two errors at once", metadata("identityOwner", "operator", "shardCount", "x",
                        "countClosedShards", "no"), List.of(
                        "ScaledObject shop/consumer: metadata.shardCount: must be a whole number, got \"x\"",
                        "ScaledObject shop/consumer: metadata.countClosedShards: must be true or false, got \"no\"")),
                Arguments.of("no identity: says what an external scaler can use", metadata(), List.of(
                        "ScaledObject shop/consumer: metadata: awsAccessKeyID not found: give the trigger an authenticationRef"
                                + " with awsRoleArn, awsAccessKeyID + awsSecretAccessKey or podIdentity, or set"
                                + " metadata.identityOwner: operator (an external scaler gets the trigger metadata only:"
                                + " set awsRoleArn, or awsAccessKeyIDFromEnv + awsSecretAccessKeyFromEnv, or"
                                + " identityOwner: operator)")),
                Arguments.of("a key id without a secret: the same hint", metadata("awsAccessKeyIDFromEnv", KEY_ID), List.of(
                        "ScaledObject shop/consumer: metadata: awsSecretAccessKey not found (an external scaler gets the"
                                + " trigger metadata only: set awsRoleArn, or awsAccessKeyIDFromEnv +"
                                + " awsSecretAccessKeyFromEnv, or identityOwner: operator)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRows")
    void invalid(String name, Map<String, String> metadata, List<String> errors) {
        var e = assertThrows(ExternalTriggerMetadata.InvalidMetadataException.class,
                () -> ExternalTriggerMetadata.fromExternalMetadata(metadata, "shop", "consumer"));
        assertEquals(errors, e.errors().stream().map(ConfigError::format).toList());
    }

    static Stream<Arguments> secretRows() {
        return Stream.of(
                Arguments.of("a key id without a secret", metadata("awsAccessKeyIDFromEnv", SECRET)),
                Arguments.of("a secret without a key id", metadata("awsSecretAccessKeyFromEnv", SECRET)),
                Arguments.of("keys and a bad field", metadata("awsAccessKeyIDFromEnv", KEY_ID,
                        "awsSecretAccessKeyFromEnv", SECRET, "shardCount", "lots")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secretRows")
    void resolvedCredentialValuesNeverAppearInErrors(String name, Map<String, String> metadata) {
        var e = assertThrows(ExternalTriggerMetadata.InvalidMetadataException.class,
                () -> ExternalTriggerMetadata.fromExternalMetadata(metadata, "shop", "consumer"));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }
}
