package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.trigger.AwsAuth.Method;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ddbstreamscaler.trigger.TriggerFiles.documents;
import static io.ddbstreamscaler.trigger.TriggerFiles.scaledObject;
import static io.ddbstreamscaler.trigger.TriggerFiles.secret;
import static io.ddbstreamscaler.trigger.TriggerFiles.trigger;
import static io.ddbstreamscaler.trigger.TriggerFiles.triggerAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trigger's metadata and auth, row by row: KEDA's own parse cases
 * ({@code kedacore/keda: pkg/scalers/aws_dynamodb_streams_scaler_test.go}, testAwsDynamoDBStreamMetadata) first, then
 * the defaults, precedence rules and the errors where we are louder than KEDA.
 */
class DynamoDbStreamTriggerTest {

    private static final String REGION = "ap-northeast-1";
    private static final String TABLE = "smalltable";
    private static final Map<String, String> KEYS = Map.of("awsAccessKeyID", "AKIDTEST", "awsSecretAccessKey", "SECRETTEST");
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    /** What a valid trigger resolved to; credential values only as "present". */
    record Summary(String tableName, String awsRegion, URI awsEndpoint, long shardCount, long activationShardCount,
                   IdentityOwner identityOwner, boolean countClosedShards, Method method, String roleArn,
                   boolean accessKey, boolean sessionToken) {

        static Summary of(TriggerConfig t) {
            return new Summary(t.tableName(), t.awsRegion(), t.awsEndpoint(), t.shardCount(), t.activationShardCount(),
                    t.identityOwner(), t.countClosedShards(), t.auth().method(), t.auth().roleArn(),
                    t.auth().accessKeyId() != null && t.auth().secretAccessKey() != null, t.auth().hasSessionToken());
        }
    }

    private static Summary keys(long shardCount, long activation, boolean sessionToken) {
        return new Summary(TABLE, REGION, null, shardCount, activation, IdentityOwner.POD, true, Method.STATIC, null,
                true, sessionToken);
    }

    static Stream<Arguments> validRows() {
        return Stream.of(
                Arguments.of("KEDA: properly formed dynamodb table name and region",
                        Map.of("tableName", TABLE, "shardCount", "2", "activationShardCount", "1", "awsRegion", REGION),
                        KEYS, NO_ENV, keys(2, 1, false)),
                Arguments.of("KEDA: properly formed with awsEndpoint",
                        Map.of("tableName", TABLE, "shardCount", "2", "activationShardCount", "1", "awsRegion", REGION,
                                "awsEndpoint", "http://localhost:4566"),
                        KEYS, NO_ENV, new Summary(TABLE, REGION, URI.create("http://localhost:4566"), 2, 1,
                                IdentityOwner.POD, true, Method.STATIC, null, true, false)),
                Arguments.of("KEDA: empty shard count uses the default 2",
                        Map.of("tableName", TABLE, "shardCount", "", "awsRegion", REGION), KEYS, NO_ENV, keys(2, 0, false)),
                Arguments.of("KEDA: temporary credentials (session token)",
                        Map.of("tableName", TABLE, "shardCount", "2", "awsRegion", REGION),
                        Map.of("awsAccessKeyID", "AKIDTEST", "awsSecretAccessKey", "SECRETTEST", "awsSessionToken", "TOKEN"),
                        NO_ENV, keys(2, 0, true)),
                Arguments.of("KEDA: role from TriggerAuthentication",
                        Map.of("tableName", TABLE, "shardCount", "2", "awsRegion", REGION),
                        Map.of("awsRoleArn", "arn:aws:iam::1:role/r"), NO_ENV,
                        new Summary(TABLE, REGION, null, 2, 0, IdentityOwner.POD, true, Method.ROLE, "arn:aws:iam::1:role/r",
                                false, false)),
                Arguments.of("KEDA: role assigned to the operator itself",
                        Map.of("tableName", TABLE, "shardCount", "2", "awsRegion", REGION, "identityOwner", "operator"),
                        null, NO_ENV, new Summary(TABLE, REGION, null, 2, 0, IdentityOwner.OPERATOR, true, Method.OPERATOR,
                                null, false, false)),
                Arguments.of("defaults: shardCount 2, activation 0, owner pod, closed shards counted",
                        Map.of("tableName", TABLE, "awsRegion", REGION), KEYS, NO_ENV, keys(2, 0, false)),
                Arguments.of("values are trimmed",
                        Map.of("tableName", "  " + TABLE + " ", "awsRegion", " " + REGION, "shardCount", " 5 "),
                        KEYS, NO_ENV, keys(5, 0, false)),
                Arguments.of("countClosedShards false counts open shards only",
                        Map.of("tableName", TABLE, "awsRegion", REGION, "countClosedShards", "false"), KEYS, NO_ENV,
                        new Summary(TABLE, REGION, null, 2, 0, IdentityOwner.POD, false, Method.STATIC, null, true, false)),
                Arguments.of("awsAccessKeyId, KEDA's other spelling",
                        Map.of("tableName", TABLE, "awsRegion", REGION),
                        Map.of("awsAccessKeyId", "AKIDTEST", "awsSecretAccessKey", "SECRETTEST"), NO_ENV, keys(2, 0, false)),
                Arguments.of("awsRegion from the auth params when the metadata has none",
                        Map.of("tableName", TABLE),
                        Map.of("awsAccessKeyID", "AKIDTEST", "awsSecretAccessKey", "SECRETTEST", "awsRegion", REGION),
                        NO_ENV, keys(2, 0, false)),
                Arguments.of("awsRoleArn wins over keys",
                        Map.of("tableName", TABLE, "awsRegion", REGION),
                        Map.of("awsRoleArn", "arn:aws:iam::1:role/r", "awsAccessKeyID", "AKIDTEST", "awsSecretAccessKey", "S"),
                        NO_ENV, new Summary(TABLE, REGION, null, 2, 0, IdentityOwner.POD, true, Method.ROLE,
                                "arn:aws:iam::1:role/r", false, false)),
                Arguments.of("operator with awsRoleArn assumes the role with the operator's credentials (KEDA)",
                        Map.of("tableName", TABLE, "awsRegion", REGION, "identityOwner", "operator"),
                        Map.of("awsRoleArn", "arn:aws:iam::1:role/r"), NO_ENV,
                        new Summary(TABLE, REGION, null, 2, 0, IdentityOwner.OPERATOR, true, Method.ROLE,
                                "arn:aws:iam::1:role/r", false, false)),
                Arguments.of("operator ignores keys",
                        Map.of("tableName", TABLE, "awsRegion", REGION, "identityOwner", "operator"), KEYS, NO_ENV,
                        new Summary(TABLE, REGION, null, 2, 0, IdentityOwner.OPERATOR, true, Method.OPERATOR, null,
                                false, false)),
                Arguments.of("keys from the environment (awsAccessKeyIDFromEnv, awsSecretAccessKeyFromEnv)",
                        Map.of("tableName", TABLE, "awsRegion", REGION, "awsAccessKeyIDFromEnv", "MY_KEY_ID",
                                "awsSecretAccessKeyFromEnv", "MY_SECRET"),
                        null, Map.of("MY_KEY_ID", "AKIDTEST", "MY_SECRET", "SECRETTEST"), keys(2, 0, false)),
                Arguments.of("explicit identityOwner pod",
                        Map.of("tableName", TABLE, "awsRegion", REGION, "identityOwner", "pod"), KEYS, NO_ENV,
                        keys(2, 0, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRows")
    void parsesValidTrigger(String row, Map<String, String> metadata, Map<String, String> authParams,
                            Map<String, String> env, Summary expected) {
        LoadResult result = load(metadata, authParams, env);

        assertEquals(List.of(), result.errors());
        assertEquals(1, result.scaledObjects().size());
        TriggerConfig trigger = result.scaledObjects().get(0).triggers().get(0);
        assertEquals(expected, Summary.of(trigger));
        assertEquals("s0-aws-dynamodb-streams-" + TABLE, trigger.metricName());
    }

    static Stream<Arguments> errorRows() {
        String md = "spec.triggers[0].metadata.";
        String auth = "spec.triggers[0].authenticationRef";
        return Stream.of(
                Arguments.of("KEDA: metadata empty", Map.of(), KEYS, NO_ENV, md + "tableName", "is required"),
                Arguments.of("KEDA: missing dynamodb table name",
                        Map.of("tableName", "", "shardCount", "2", "awsRegion", REGION), KEYS, NO_ENV,
                        md + "tableName", "is required"),
                Arguments.of("KEDA: empty region", Map.of("tableName", TABLE, "shardCount", "2", "awsRegion", ""), KEYS,
                        NO_ENV, md + "awsRegion", "is required"),
                Arguments.of("KEDA: shardCount a (KEDA silently uses 2; we say so)",
                        Map.of("tableName", TABLE, "shardCount", "a", "awsRegion", REGION), KEYS, NO_ENV,
                        md + "shardCount", "must be a whole number, got \"a\""),
                Arguments.of("KEDA: static credentials, missing access key id",
                        Map.of("tableName", TABLE, "awsRegion", REGION),
                        Map.of("awsAccessKeyID", "", "awsSecretAccessKey", "SECRETTEST"), NO_ENV, auth,
                        "awsAccessKeyID not found"),
                Arguments.of("KEDA: static credentials, missing secret access key",
                        Map.of("tableName", TABLE, "awsRegion", REGION),
                        Map.of("awsAccessKeyID", "AKIDTEST", "awsSecretAccessKey", ""), NO_ENV, auth,
                        "awsSecretAccessKey not found"),
                Arguments.of("KEDA: temporary credentials, missing access key id",
                        Map.of("tableName", TABLE, "awsRegion", REGION),
                        Map.of("awsAccessKeyID", "", "awsSecretAccessKey", "SECRETTEST", "awsSessionToken", "T"), NO_ENV,
                        auth, "awsAccessKeyID not found"),
                Arguments.of("KEDA: temporary credentials, missing secret access key",
                        Map.of("tableName", TABLE, "awsRegion", REGION),
                        Map.of("awsAccessKeyID", "AKIDTEST", "awsSecretAccessKey", "", "awsSessionToken", "T"), NO_ENV,
                        auth, "awsSecretAccessKey not found"),
                Arguments.of("shardCount 1.5 is not whole", Map.of("tableName", TABLE, "awsRegion", REGION,
                        "shardCount", "1.5"), KEYS, NO_ENV, md + "shardCount", "must be a whole number, got \"1.5\""),
                Arguments.of("shardCount 0", Map.of("tableName", TABLE, "awsRegion", REGION, "shardCount", "0"), KEYS,
                        NO_ENV, md + "shardCount", "must be at least 1, got 0"),
                Arguments.of("activationShardCount -1", Map.of("tableName", TABLE, "awsRegion", REGION,
                        "activationShardCount", "-1"), KEYS, NO_ENV, md + "activationShardCount", "must be at least 0, got -1"),
                Arguments.of("activationShardCount x", Map.of("tableName", TABLE, "awsRegion", REGION,
                        "activationShardCount", "x"), KEYS, NO_ENV, md + "activationShardCount", "must be a whole number"),
                Arguments.of("unknown identityOwner (KEDA would use operator)", Map.of("tableName", TABLE,
                        "awsRegion", REGION, "identityOwner", "keda"), KEYS, NO_ENV, md + "identityOwner",
                        "must be pod or operator, got \"keda\""),
                Arguments.of("awsEndpoint not a URL", Map.of("tableName", TABLE, "awsRegion", REGION,
                        "awsEndpoint", "localhost:4566"), KEYS, NO_ENV, md + "awsEndpoint", "must be an http:// or https://"),
                Arguments.of("countClosedShards not a boolean", Map.of("tableName", TABLE, "awsRegion", REGION,
                        "countClosedShards", "maybe"), KEYS, NO_ENV, md + "countClosedShards", "must be true or false"),
                Arguments.of("no authentication at all", Map.of("tableName", TABLE, "awsRegion", REGION), null, NO_ENV,
                        auth, "awsAccessKeyID not found"),
                Arguments.of("awsAccessKeyIDFromEnv names an unset variable", Map.of("tableName", TABLE,
                        "awsRegion", REGION, "awsAccessKeyIDFromEnv", "UNSET_KEY"), null, NO_ENV, auth,
                        "environment variable \"UNSET_KEY\""),
                Arguments.of("secret key from an unset variable", Map.of("tableName", TABLE, "awsRegion", REGION,
                        "awsAccessKeyIDFromEnv", "MY_KEY_ID", "awsSecretAccessKeyFromEnv", "UNSET_SECRET"), null,
                        Map.of("MY_KEY_ID", "AKIDTEST"), auth, "awsSecretAccessKey not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorRows")
    void reportsError(String row, Map<String, String> metadata, Map<String, String> authParams, Map<String, String> env,
                      String field, String message) {
        LoadResult result = load(metadata, authParams, env);

        assertEquals(List.of(), result.scaledObjects());
        ConfigError expected = new ConfigError(dir.resolve("triggers.yaml"), "ScaledObject keda-test/so", 0, field, "");
        assertTrue(result.errors().stream().anyMatch(error -> error.file().equals(expected.file())
                        && error.object().equals(expected.object()) && expected.triggerIndex().equals(error.triggerIndex())
                        && field.equals(error.field()) && error.message().contains(message)),
                () -> "expected " + field + ": ..." + message + "... in " + result.errors());
        for (ConfigError error : result.errors()) {
            assertFalse(error.format().contains("SECRETTEST") || error.format().contains("AKIDTEST"), error.format());
        }
    }

    private LoadResult load(Map<String, String> metadata, Map<String, String> authParams, Map<String, String> env) {
        List<Object> docs = new ArrayList<>();
        if (authParams != null) {
            docs.add(secret("aws-secrets", authParams));
            docs.add(triggerAuth("aws-auth", "aws-secrets", authParams.keySet()));
        }
        docs.add(scaledObject("so", List.of(trigger(metadata, authParams == null ? null : "aws-auth"))));
        Path file = TriggerFiles.write(dir, "triggers.yaml", documents(docs.toArray()));
        return new TriggerConfigLoader(SecretSource.none(), env::get).load(List.of(file));
    }
}
