package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.trigger.AwsAuth.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files, folders, kinds, Secrets, authentications and duplicates: what the loader makes of a manifest folder. */
class TriggerConfigLoaderTest {

    private static final String SO = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: so, namespace: keda-test}
            spec:
              scaleTargetRef: {name: consumer}
              triggers:
              - type: aws-dynamodb-stream
                authenticationRef: {name: auth}
                metadata: {tableName: t, awsRegion: eu-west-1}
            """;

    @TempDir
    Path dir;

    /** What the trigger's auth came out as; the credential values themselves only as "present". */
    record AuthSummary(Method method, String roleArn, String podIdentityProvider, boolean accessKey,
                       List<String> unresolvedSecrets) {
        static AuthSummary of(AwsAuth auth) {
            return new AuthSummary(auth.method(), auth.roleArn(), auth.podIdentityProvider(),
                    auth.accessKeyId() != null && auth.secretAccessKey() != null, auth.unresolvedSecrets());
        }
    }

    static Stream<Arguments> authRows() {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: keda-test}\n"
                + "data: {ROLE: YXJuOmF3czppYW06OjE6cm9sZS9y}\n---\n"; // base64 of arn:aws:iam::1:role/r
        return Stream.of(
                Arguments.of("secretTargetRef to a Secret in the file (data, base64)",
                        secret + auth("secretTargetRef: [{parameter: awsRoleArn, name: s, key: ROLE}]"), Map.of(),
                        Optional.empty(), new AuthSummary(Method.ROLE, "arn:aws:iam::1:role/r", null, false, List.of()), null),
                Arguments.of("Secret not in the files: resolved at run time",
                        auth("secretTargetRef: [{parameter: awsRoleArn, name: elsewhere, key: ROLE}]"), Map.of(),
                        Optional.empty(), new AuthSummary(Method.ROLE, null, null, false, List.of("keda-test/elsewhere")),
                        "Secret keda-test/elsewhere (used by TriggerAuthentication keda-test/auth) is not in the given files: resolved at run time"),
                Arguments.of("Secret from the cluster source",
                        auth("secretTargetRef: [{parameter: awsAccessKeyID, name: c, key: ID}, "
                                + "{parameter: awsSecretAccessKey, name: c, key: KEY}]"), Map.of(),
                        Optional.of(Map.of("ID", "AKIDTEST", "KEY", "SECRETTEST")),
                        new AuthSummary(Method.STATIC, null, null, true, List.of()), null),
                Arguments.of("env parameters from the environment",
                        auth("env: [{parameter: awsAccessKeyID, name: KEY_ID}, {parameter: awsSecretAccessKey, name: KEY}]"),
                        Map.of("KEY_ID", "AKIDTEST", "KEY", "SECRETTEST"), Optional.empty(),
                        new AuthSummary(Method.STATIC, null, null, true, List.of()), null),
                Arguments.of("podIdentity aws with roleArn",
                        auth("podIdentity: {provider: aws, roleArn: 'arn:aws:iam::1:role/p'}"), Map.of(), Optional.empty(),
                        new AuthSummary(Method.POD_IDENTITY, "arn:aws:iam::1:role/p", "aws", false, List.of()), null),
                Arguments.of("podIdentity aws wins over keys (KEDA checks it first)",
                        auth("podIdentity: {provider: aws}\n  env: [{parameter: awsAccessKeyID, name: KEY_ID}]"),
                        Map.of("KEY_ID", "AKIDTEST"), Optional.empty(),
                        new AuthSummary(Method.POD_IDENTITY, null, "aws", false, List.of()), null),
                Arguments.of("unsupported TriggerAuthentication sources draw a warning",
                        auth("podIdentity: {provider: aws}\n  hashiCorpVault: {address: 'http://vault'}"), Map.of(),
                        Optional.empty(), new AuthSummary(Method.POD_IDENTITY, null, "aws", false, List.of()),
                        "TriggerAuthentication keda-test/auth: spec.hashiCorpVault: is not supported here"),
                Arguments.of("podIdentity aws-eks works, deprecated", auth("podIdentity: {provider: aws-eks}"), Map.of(),
                        Optional.empty(), new AuthSummary(Method.POD_IDENTITY, null, "aws-eks", false, List.of()),
                        "podIdentity.provider aws-eks is deprecated in KEDA"),
                Arguments.of("podIdentity aws-kiam works, deprecated", auth("podIdentity: {provider: aws-kiam}"), Map.of(),
                        Optional.empty(), new AuthSummary(Method.POD_IDENTITY, null, "aws-kiam", false, List.of()),
                        "podIdentity.provider aws-kiam is deprecated in KEDA"),
                Arguments.of("podIdentity none is KEDA's \"no pod identity\": the keys apply",
                        auth("podIdentity: {provider: none}\n  env: [{parameter: awsAccessKeyID, name: KEY_ID}, "
                                + "{parameter: awsSecretAccessKey, name: KEY}]"),
                        Map.of("KEY_ID", "AKIDTEST", "KEY", "SECRETTEST"), Optional.empty(),
                        new AuthSummary(Method.STATIC, null, null, true, List.of()), null),
                Arguments.of("a provider that is not AWS's draws a warning: the keys apply",
                        auth("podIdentity: {provider: azure-workload}\n  env: [{parameter: awsAccessKeyID, name: KEY_ID}, "
                                + "{parameter: awsSecretAccessKey, name: KEY}]"),
                        Map.of("KEY_ID", "AKIDTEST", "KEY", "SECRETTEST"), Optional.empty(),
                        new AuthSummary(Method.STATIC, null, null, true, List.of()),
                        "TriggerAuthentication keda-test/auth: spec.podIdentity.provider: \"azure-workload\" is not an"
                                + " AWS provider; an AWS trigger using it falls back to its other parameters"));
    }

    private static String auth(String specLines) {
        return "apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata: {name: auth, namespace: keda-test}\n"
                + "spec:\n  " + specLines + "\n";
    }

    static Stream<Arguments> externalIdRows() {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: keda-test}\n"
                + "stringData: {ROLE: 'arn:aws:iam::1:role/r', EXT: ext-from-secret}\n---\n";
        Map<String, String> env = Map.of("ROLE", "arn:aws:iam::1:role/r", "EXT", "ext-from-env", "ID", "AKIDTEST",
                "KEY", "SECRETTEST");
        String ignored = "awsExternalId is set but awsRoleArn is not: awsExternalId is ignored";
        return Stream.of(
                // name, documents, environment, method, external id passed to AssumeRole, warning (null: none about it)
                Arguments.of("with awsRoleArn, both from a Secret",
                        secret + auth("secretTargetRef: [{parameter: awsRoleArn, name: s, key: ROLE}, "
                                + "{parameter: awsExternalId, name: s, key: EXT}]"),
                        env, Method.ROLE, "ext-from-secret", null),
                Arguments.of("with awsRoleArn from env",
                        auth("env: [{parameter: awsRoleArn, name: ROLE}, {parameter: awsExternalId, name: EXT}]"),
                        env, Method.ROLE, "ext-from-env", null),
                Arguments.of("with podIdentity aws and its roleArn",
                        auth("podIdentity: {provider: aws, roleArn: 'arn:aws:iam::1:role/p'}\n"
                                + "  env: [{parameter: awsExternalId, name: EXT}]"),
                        env, Method.POD_IDENTITY, "ext-from-env", null),
                Arguments.of("with static keys: ignored, as in KEDA",
                        auth("env: [{parameter: awsAccessKeyID, name: ID}, {parameter: awsSecretAccessKey, name: KEY}, "
                                + "{parameter: awsExternalId, name: EXT}]"),
                        env, Method.STATIC, null, ignored),
                Arguments.of("with podIdentity but no role: ignored",
                        auth("podIdentity: {provider: aws}\n  env: [{parameter: awsExternalId, name: EXT}]"),
                        env, Method.POD_IDENTITY, null, ignored),
                Arguments.of("a blank awsExternalId is unset (KEDA: \"\" is unset)",
                        auth("env: [{parameter: awsRoleArn, name: ROLE}, {parameter: awsExternalId, name: BLANK}]"),
                        Map.of("ROLE", "arn:aws:iam::1:role/r", "BLANK", " "), Method.ROLE, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("externalIdRows")
    void awsExternalIdGoesWithARoleOnly(String row, String authDocuments, Map<String, String> env, Method method,
                                        String externalId, String warning) {
        Path file = TriggerFiles.write(dir, "all.yaml", authDocuments + "---\n" + SO);

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), env::get).load(List.of(file));

        assertEquals(List.of(), result.errors());
        AwsAuth auth = result.scaledObjects().get(0).triggers().get(0).auth();
        List<String> aboutIt = result.warnings().stream().filter(w -> w.contains("awsExternalId")).toList();
        assertEquals(method, auth.method());
        assertEquals(externalId, auth.externalId());
        assertEquals(warning == null ? List.of() : List.of(true), aboutIt.stream().map(w -> w.contains(warning)).toList(),
                aboutIt::toString);
        assertFalse(auth.toString().contains("ext-from"), auth::toString);
        assertEquals(externalId != null, auth.toString().contains("externalId=<set>"), auth::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authRows")
    void resolvesAuthentication(String row, String authDocuments, Map<String, String> env,
                                Optional<Map<String, String>> clusterSecret, AuthSummary expected, String message) {
        Path file = TriggerFiles.write(dir, "all.yaml", authDocuments + "---\n" + SO);
        SecretSource cluster = clusterSecret.isEmpty() ? SecretSource.none() : (ns, name) -> clusterSecret;

        LoadResult result = new TriggerConfigLoader(cluster, env::get).load(List.of(file));

        assertEquals(List.of(), result.errors());
        assertEquals(expected, AuthSummary.of(result.scaledObjects().get(0).triggers().get(0).auth()));
        if (message != null) {
            List<String> said = Stream.concat(result.notes().stream(), result.warnings().stream()).toList();
            assertTrue(said.stream().anyMatch(line -> line.contains(message)), said::toString);
        }
    }

    static Stream<Arguments> authErrorRows() {
        return Stream.of(
                Arguments.of("Secret in the file lacks the key",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: keda-test}\nstringData: {OTHER: x}\n---\n"
                                + auth("secretTargetRef: [{parameter: awsRoleArn, name: s, key: ROLE}]"),
                        "spec.triggers[0].authenticationRef", "TriggerAuthentication keda-test/auth: Secret keda-test/s has no key \"ROLE\" (parameter awsRoleArn)"),
                Arguments.of("Secret data not base64",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: keda-test}\ndata: {ROLE: 'not base64!'}\n",
                        "data.ROLE", "is not valid base64 of UTF-8 text (value not shown)"),
                Arguments.of("secretTargetRef without key", auth("secretTargetRef: [{parameter: awsRoleArn, name: s}]"),
                        "spec.secretTargetRef[0].key", "is required"),
                Arguments.of("podIdentity without provider", auth("podIdentity: {roleArn: x}"),
                        "spec.podIdentity.provider", "is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authErrorRows")
    void reportsAuthenticationError(String row, String authDocuments, String field, String message) {
        Path file = TriggerFiles.write(dir, "all.yaml", authDocuments + "---\n" + SO);

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));

        assertTrue(result.errors().stream().anyMatch(e -> field.equals(e.field()) && e.message().equals(message)
                && e.file().equals(file)), () -> result.errors().toString());
        assertFalse(result.ok());
    }

    @Test
    void secretMissingFromFilesAndClusterIsAnErrorWithAClusterSource() {
        Path file = TriggerFiles.write(dir, "all.yaml",
                auth("secretTargetRef: [{parameter: awsRoleArn, name: gone, key: ROLE}]") + "---\n" + SO);
        SecretSource emptyCluster = (namespace, name) -> Optional.empty();

        LoadResult result = new TriggerConfigLoader(emptyCluster, name -> null).load(List.of(file));

        assertEquals(List.of(new ConfigError(file, "ScaledObject keda-test/so", 0, "spec.triggers[0].authenticationRef",
                "TriggerAuthentication keda-test/auth: Secret keda-test/gone is neither in the given files nor in the cluster")),
                result.errors());
    }

    @Test
    void clusterTriggerAuthenticationReadsSecretsFromKedaNamespace() {
        String cta = "apiVersion: keda.sh/v1alpha1\nkind: ClusterTriggerAuthentication\nmetadata: {name: shared}\n"
                + "spec:\n  secretTargetRef: [{parameter: awsRoleArn, name: s, key: ROLE}]\n---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: keda-system}\nstringData: {ROLE: 'arn:aws:iam::1:role/c'}\n";
        String so = SO.replace("authenticationRef: {name: auth}",
                "authenticationRef: {name: shared, kind: ClusterTriggerAuthentication}");
        Path file = TriggerFiles.write(dir, "all.yaml", cta + "---\n" + so);
        Map<String, String> env = Map.of("KEDA_CLUSTER_OBJECT_NAMESPACE", "keda-system");

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), env::get).load(List.of(file));

        assertEquals(List.of(), result.errors());
        assertEquals("arn:aws:iam::1:role/c", result.scaledObjects().get(0).triggers().get(0).auth().roleArn());
    }

    static Stream<Arguments> fileRows() {
        String operator = "metadata: {tableName: t, awsRegion: eu-west-1, identityOwner: operator}";
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "").replace(
                "metadata: {tableName: t, awsRegion: eu-west-1}", operator);
        return Stream.of(
                Arguments.of("namespace defaults to default", plain.replace(", namespace: keda-test", ""),
                        List.of("default/so"), List.of(), List.of()),
                Arguments.of("other kinds are skipped silently", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\n"
                        + plain, List.of("keda-test/so"), List.of(), List.of()),
                Arguments.of("ScaledObject without our trigger is skipped with a note",
                        plain.replace("aws-dynamodb-stream", "kafka"), List.of(), List.of(),
                        List.of("FILE: ScaledObject keda-test/so: no aws-dynamodb-stream(s) trigger (types [kafka]): skipped")),
                Arguments.of("other triggers beside ours are skipped with a note",
                        plain + "  - type: cpu\n    metadata: {value: '50'}\n", List.of("keda-test/so"), List.of(),
                        List.of("FILE: ScaledObject keda-test/so: triggers of other types [cpu] are not handled by this"
                                + " scaler and are skipped")),
                Arguments.of("KEDA's own aws-dynamodb (a table scaler, 7 edits away) is another scaler's: skipped",
                        plain.replace("aws-dynamodb-stream", "aws-dynamodb"), List.of(), List.of(),
                        List.of("FILE: ScaledObject keda-test/so: no aws-dynamodb-stream(s) trigger (types [aws-dynamodb]): skipped")),
                Arguments.of("KEDA's spelling aws-dynamodb-streams", plain.replace("aws-dynamodb-stream", "aws-dynamodb-streams"),
                        List.of("keda-test/so"), List.of(), List.of()),
                Arguments.of("a ScaledObject of another API group is skipped",
                        plain.replace("keda.sh/v1alpha1", "example.com/v1"), List.of(),
                        List.of("FILE: document 1 (line 1): ScaledObject with apiVersion example.com/v1 is not KEDA's (or core v1's): skipped",
                                "no ScaledObject with an aws-dynamodb-stream(s) trigger found in [FILE]"), List.of()),
                Arguments.of("an apiVersion of 80 characters is named whole",
                        plain.replace("keda.sh/v1alpha1", "a".repeat(65) + ".example.com/v1"), List.of(),
                        List.of("FILE: document 1 (line 1): ScaledObject with apiVersion " + "a".repeat(65)
                                        + ".example.com/v1 is not KEDA's (or core v1's): skipped",
                                "no ScaledObject with an aws-dynamodb-stream(s) trigger found in [FILE]"), List.of()),
                Arguments.of("a longer apiVersion is cut to 80 characters",
                        plain.replace("keda.sh/v1alpha1", "a".repeat(66) + ".example.com/v1"), List.of(),
                        List.of("FILE: document 1 (line 1): ScaledObject with apiVersion " + "a".repeat(66)
                                        + ".example.co... is not KEDA's (or core v1's): skipped",
                                "no ScaledObject with an aws-dynamodb-stream(s) trigger found in [FILE]"), List.of()),
                Arguments.of("an unknown metadata key: a warning naming file, object and key, with the key it resembles",
                        plain.replace("identityOwner: operator", "identityOwner: operator, sharedCount: '3'"),
                        List.of("keda-test/so"), List.of("FILE: ScaledObject keda-test/so: spec.triggers[0].metadata.sharedCount:"
                                + " is not a key of this trigger and is ignored; did you mean shardCount? (shardCount is not"
                                + " set, so it is 2, its default)"), List.of()),
                Arguments.of("a key that differs in case only: did you mean, no default to state (activation is set)",
                        plain.replace("identityOwner: operator", "identityOwner: operator, activationShardCount: '1',"
                                + " ActivationShardcount: '3'"), List.of("keda-test/so"),
                        List.of("FILE: ScaledObject keda-test/so: spec.triggers[0].metadata.ActivationShardcount: is not a"
                                + " key of this trigger and is ignored; did you mean activationShardCount?"), List.of()),
                Arguments.of("a key of 12 characters may be 3 edits from ours (a shorter one 2)",
                        plain.replace("identityOwner: operator", "identityOwner: operator, iqenzityOwne: x"),
                        List.of("keda-test/so"), List.of("FILE: ScaledObject keda-test/so: spec.triggers[0].metadata.iqenzityOwne:"
                                + " is not a key of this trigger and is ignored; did you mean identityOwner?"), List.of()),
                Arguments.of("an unknown key like none of ours: a warning without a guess",
                        plain.replace("identityOwner: operator", "identityOwner: operator, queueLength: '5'"),
                        List.of("keda-test/so"), List.of("FILE: ScaledObject keda-test/so: spec.triggers[0].metadata.queueLength:"
                                + " is not a key of this trigger and is ignored"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileRows")
    void loadsFile(String row, String text, List<String> ids, List<String> warnings, List<String> skipped) {
        Path file = TriggerFiles.write(dir, "all.yaml", text);

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));

        assertEquals(List.of(), result.errors());
        assertTrue(result.ok());
        assertEquals(ids, result.scaledObjects().stream().map(ScaledObjectConfig::id).toList());
        assertEquals(warnings.stream().map(w -> w.replace("FILE", file.toString())).toList(), result.warnings());
        assertEquals(skipped.stream().map(w -> w.replace("FILE", file.toString())).toList(), result.skipped());
    }

    static Stream<Arguments> nearMissRows() {
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "")
                .replace("awsRegion: eu-west-1}", "awsRegion: eu-west-1, identityOwner: operator}");
        return Stream.of(
                Arguments.of("a letter missing", plain.replace("aws-dynamodb-stream", "aws-dynamodb-steams"), 0,
                        "unknown trigger type \"aws-dynamodb-steams\": did you mean aws-dynamodb-streams?"),
                Arguments.of("two letters swapped", plain.replace("aws-dynamodb-stream", "aws-dyanmodb-stream"), 0,
                        "unknown trigger type \"aws-dyanmodb-stream\": did you mean aws-dynamodb-stream?"),
                Arguments.of("underscores", plain.replace("aws-dynamodb-stream", "aws_dynamodb_streams"), 0,
                        "unknown trigger type \"aws_dynamodb_streams\": did you mean aws-dynamodb-streams?"),
                Arguments.of("case: types are case-sensitive", plain.replace("aws-dynamodb-stream", "AWS-DynamoDB-Streams"), 0,
                        "unknown trigger type \"AWS-DynamoDB-Streams\": did you mean aws-dynamodb-streams?"),
                Arguments.of("beside a good trigger of ours, the whole object fails", plain
                                + "  - type: aws-dynamodb-steam\n    metadata: {tableName: t2, awsRegion: eu-west-1}\n", 1,
                        "unknown trigger type \"aws-dynamodb-steam\": did you mean aws-dynamodb-stream?"),
                Arguments.of("no type at all (KEDA's CRD requires one)", plain.replace("type: aws-dynamodb-stream\n    ", ""),
                        0, "is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nearMissRows")
    void aNearMissOfOurTypeIsAnErrorNamingFileObjectAndField(String row, String text, int index, String message) {
        Path file = TriggerFiles.write(dir, "all.yaml", text);

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));

        assertEquals(List.of(new ConfigError(file, "ScaledObject keda-test/so", index, "spec.triggers[" + index + "].type",
                message)), result.errors());
        assertEquals(List.of(), result.scaledObjects());
    }

    static Stream<Arguments> strictRows() {
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "")
                .replace("awsRegion: eu-west-1}", "awsRegion: eu-west-1, identityOwner: operator}");
        return Stream.of(
                Arguments.of("an unknown metadata key", plain.replace("identityOwner: operator",
                                "identityOwner: operator, sharedCount: '3'"), "ScaledObject keda-test/so",
                        "spec.triggers[0].metadata.sharedCount", "is not a key of this trigger and is ignored; did you"
                                + " mean shardCount? (shardCount is not set, so it is 2, its default)" + Warnings.STRICT),
                Arguments.of("a TriggerAuthentication source we do not read (the object using it fails too)",
                        auth("podIdentity: {provider: aws}\n  hashiCorpVault: {address: 'http://vault'}") + "---\n" + SO,
                        "TriggerAuthentication keda-test/auth", "spec.hashiCorpVault", "is not supported here (only"
                                + " secretTargetRef, env and podIdentity): its parameters are not set" + Warnings.STRICT),
                Arguments.of("the same ScaledObject in two files is an error of the later", null,
                        "ScaledObject keda-test/so", "metadata.name", "is also defined in FIRST: both are loaded;"
                                + " applied to one cluster, the later would replace the earlier" + Warnings.STRICT));
    }

    @ParameterizedTest(name = "--strict: {0}")
    @MethodSource("strictRows")
    void strictMakesEachWarningAnErrorOfItsObject(String row, String text, String object, String field, String message) {
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "")
                .replace("awsRegion: eu-west-1}", "awsRegion: eu-west-1, identityOwner: operator}");
        Path first = TriggerFiles.write(dir, "a.yaml", text != null ? text : plain);
        List<Path> files = text != null ? List.of(first) : List.of(first, TriggerFiles.write(dir, "b.yaml", plain));
        Path file = files.get(files.size() - 1);

        LoadResult lenient = new TriggerConfigLoader(SecretSource.none(), name -> null).load(files);
        LoadResult strict = new TriggerConfigLoader(SecretSource.none(), name -> null, true).load(files);

        assertEquals(List.of(), lenient.errors());
        assertEquals(1, lenient.warnings().size(), lenient.warnings()::toString);
        assertEquals(List.of(), strict.warnings());
        ConfigError expected = new ConfigError(file, object, null, field, message.replace("FIRST", first.toString()));
        assertTrue(strict.errors().stream().map(ConfigError::format).toList().contains(expected.format()),
                () -> strict.errors().toString());
        assertEquals(text != null ? 0 : 1, strict.scaledObjects().size(), "the object the warning is about does not load");
    }

    @Test
    void sameObjectTwiceInOneFileIsAnError() {
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "")
                .replace("awsRegion: eu-west-1}", "awsRegion: eu-west-1, identityOwner: operator}");
        Path file = TriggerFiles.write(dir, "twice.yaml", plain + "---\n" + plain);

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));

        assertEquals(1, result.scaledObjects().size());
        assertEquals(List.of(new ConfigError(file, "ScaledObject keda-test/so", null, "metadata.name",
                "is defined twice in this file; the later is ignored")), result.errors());
    }

    @Test
    void aNameAndANamespaceOfTheLongestKubernetesAllowsLoadAndOneCharacterMoreDoesNot() {
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "")
                .replace("awsRegion: eu-west-1}", "awsRegion: eu-west-1, identityOwner: operator}");
        String longest = plain.replace("name: so, namespace: keda-test", "name: " + "s".repeat(253) + ", namespace: "
                + "n".repeat(63));
        Path file = TriggerFiles.write(dir, "longest.yaml", longest);
        assertEquals(List.of("n".repeat(63) + "/" + "s".repeat(253)), new TriggerConfigLoader(SecretSource.none(),
                name -> null).load(List.of(file)).scaledObjects().stream().map(ScaledObjectConfig::id).toList());

        Path longer = TriggerFiles.write(dir, "longer.yaml", plain.replace("name: so, namespace: keda-test",
                "name: " + "s".repeat(254) + ", namespace: " + "n".repeat(64)));
        assertEquals(List.of("metadata.name: must be at most 253 characters, got 254",
                        "metadata.namespace: must be at most 63 characters, got 64"),
                new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(longer)).errors().stream()
                        .map(e -> e.field() + ": " + e.message()).toList());
    }

    @Test
    void aClusterTriggerAuthenticationIsNamedWithoutANamespace() {
        Path file = TriggerFiles.write(dir, "cta.yaml",
                "apiVersion: keda.sh/v1alpha1\nkind: ClusterTriggerAuthentication\nmetadata: {name: shared}\n");

        assertEquals(List.of(new ConfigError(file, "ClusterTriggerAuthentication shared", null, "spec", "is required")),
                new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file)).errors());
    }

    @Test
    void aTriggerThatIsNotAMappingIsAnErrorNamingItsIndex() {
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "")
                .replace("awsRegion: eu-west-1}", "awsRegion: eu-west-1, identityOwner: operator}");
        Path file = TriggerFiles.write(dir, "all.yaml", plain.replace("  triggers:\n", "  triggers:\n  - 5\n"));

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));

        assertEquals(List.of(new ConfigError(file, "ScaledObject keda-test/so", null, "spec.triggers[0]",
                "must be a mapping, got integer")), result.errors());
    }

    @Test
    void aRegionFromASecretResolvedAtRunTimeMustBeInTheMetadata() {
        String documents = auth("secretTargetRef: [{parameter: awsRoleArn, name: elsewhere, key: ROLE}, "
                + "{parameter: awsRegion, name: elsewhere, key: REGION}]") + "---\n"
                + SO.replace("metadata: {tableName: t, awsRegion: eu-west-1}", "metadata: {tableName: t}");
        Path file = TriggerFiles.write(dir, "all.yaml", documents);

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(file));

        assertEquals(List.of(new ConfigError(file, "ScaledObject keda-test/so", 0, "spec.triggers[0].metadata.awsRegion",
                "is required in the trigger metadata when its Secret is resolved at run time")), result.errors());
    }

    @Test
    void aKeyVariableThatIsUnsetOrBlankIsNamedNeverRead() {
        String fromEnv = SO.replace("authenticationRef: {name: auth}\n    ", "").replace("awsRegion: eu-west-1}",
                "awsRegion: eu-west-1, awsAccessKeyIDFromEnv: KEY_ID, awsSecretAccessKeyFromEnv: KEY}");
        Path file = TriggerFiles.write(dir, "all.yaml", fromEnv);
        String field = "spec.triggers[0].authenticationRef";

        Map<String, String> none = Map.of();
        Map<String, String> blankId = Map.of("KEY_ID", " ", "KEY", "SECRETTEST");
        Map<String, String> noSecret = Map.of("KEY_ID", "AKIDTEST", "KEY", "");
        for (Map<String, String> env : List.of(none, blankId)) {
            assertEquals(List.of(new ConfigError(file, "ScaledObject keda-test/so", 0, field, "awsAccessKeyID not found:"
                    + " give the trigger an authenticationRef with awsRoleArn, awsAccessKeyID + awsSecretAccessKey or"
                    + " podIdentity, or set metadata.identityOwner: operator: environment variable \"KEY_ID\""
                    + " (awsAccessKeyIDFromEnv) is not set")),
                    new TriggerConfigLoader(SecretSource.none(), env::get).load(List.of(file)).errors(), env::toString);
        }
        assertEquals(List.of(new ConfigError(file, "ScaledObject keda-test/so", 0, field, "awsSecretAccessKey not found:"
                + " environment variable \"KEY\" (awsSecretAccessKeyFromEnv) is not set")),
                new TriggerConfigLoader(SecretSource.none(), noSecret::get).load(List.of(file)).errors());
    }

    @Test
    void foldersAreReadRecursivelyYamlAndYmlOnlyInNameOrder() {
        String plain = SO.replace("authenticationRef: {name: auth}\n    ", "")
                .replace("awsRegion: eu-west-1}", "awsRegion: eu-west-1, identityOwner: operator}");
        TriggerFiles.write(dir, "b/second.yml", plain.replace("name: so", "name: b"));
        TriggerFiles.write(dir, "a.yaml", plain.replace("name: so", "name: a"));
        TriggerFiles.write(dir, "notes.txt", "kind: [broken");
        TriggerFiles.write(dir, "archive.yaml/inside.yaml", plain.replace("name: so", "name: c"));   // a folder named .yaml

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), name -> null)
                .load(List.of(dir, dir.resolve("missing.yaml")));

        assertEquals(List.of("keda-test/a", "keda-test/c", "keda-test/b"),
                result.scaledObjects().stream().map(ScaledObjectConfig::id).toList());
        assertEquals(List.of(new ConfigError(dir.resolve("missing.yaml"), null, null, null, "no such file or folder")),
                result.errors());
    }

    @Test
    void credentialsNeverShowInToString() {
        AwsAuth auth = new AwsAuth(Method.STATIC, null, "AKIDTEST", "SECRETTEST", "TOKENTEST", null, List.of());
        SecretManifest secret = new SecretManifest(dir, "ns", "s", Map.of("KEY", "SECRETTEST"));

        for (String text : List.of(auth.toString(), secret.toString())) {
            assertFalse(text.contains("AKIDTEST") || text.contains("SECRETTEST") || text.contains("TOKENTEST"), text);
        }
    }
}
