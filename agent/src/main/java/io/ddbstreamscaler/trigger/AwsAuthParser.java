package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.trigger.AwsAuth.Method;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses a trigger's AWS identity with KEDA's precedence ({@code GetAwsAuthorization} in
 * {@code kedacore/keda: pkg/scalers/aws/aws_common.go}):
 * <ol>
 *   <li>{@code identityOwner: operator}: the agent's ambient chain; with an {@code awsRoleArn} KEDA assumes that role
 *       with the operator's credentials, so that is ROLE;</li>
 *   <li>a pod identity provider ({@code aws}, and the deprecated {@code aws-eks} / removed {@code aws-kiam}, which the
 *       KEDA of the spec checked first too), with {@code podIdentity.roleArn} or {@code awsRoleArn};</li>
 *   <li>{@code awsRoleArn};</li>
 *   <li>{@code awsAccessKeyID} (or {@code awsAccessKeyId}) + {@code awsSecretAccessKey} (+ {@code awsSessionToken});</li>
 *   <li>trigger metadata {@code awsAccessKeyID} / {@code awsAccessKeyIDFromEnv} + {@code awsSecretAccessKeyFromEnv}.</li>
 * </ol>
 * Errors keep KEDA's words ({@code awsAccessKeyID not found}, {@code awsSecretAccessKey not found}).
 * {@code awsExternalId} goes with a role ARN only (KEDA's {@code AwsExternalID}, passed to AssumeRole); without one it
 * is ignored with a warning, as KEDA logs "awsExternalId is set but awsRoleArn is not".
 */
final class AwsAuthParser {

    static final String NO_ACCESS_KEY = "awsAccessKeyID not found";
    static final String NO_SECRET_KEY = "awsSecretAccessKey not found";

    /** KEDA's authParam name, exactly (not awsExternalID). */
    static final String EXTERNAL_ID = "awsExternalId";

    private AwsAuthParser() {
    }

    static AwsAuth parse(IdentityOwner owner, Map<String, String> metadata, AuthParams params,
                         Function<String, String> env, String field, Problems problems, Problems warnings) {
        AwsAuth auth = choose(owner, metadata, params, env, field, problems, warnings);
        if (auth == null || !params.has(EXTERNAL_ID)) {
            return auth;
        }
        if (auth.roleArn() == null && !params.has("awsRoleArn")) {
            // KEDA's GetAwsAuthorization logs this and drops the id: ExternalId exists only on AssumeRole.
            warnings.add(field, EXTERNAL_ID + " is set but awsRoleArn is not: " + EXTERNAL_ID
                    + " is ignored (it is sent only with the AssumeRole of a role)");
            return auth;
        }
        return new AwsAuth(auth.method(), auth.roleArn(), auth.accessKeyId(), auth.secretAccessKey(),
                auth.sessionToken(), auth.podIdentityProvider(), auth.unresolvedSecrets(), params.get(EXTERNAL_ID));
    }

    private static AwsAuth choose(IdentityOwner owner, Map<String, String> metadata, AuthParams params,
                                  Function<String, String> env, String field, Problems problems, Problems warnings) {
        List<String> unresolved = params.unresolvedSecrets();
        if (owner == IdentityOwner.OPERATOR) {
            if (params.has("awsRoleArn")) {
                return new AwsAuth(Method.ROLE, params.get("awsRoleArn"), null, null, null, null, unresolved);
            }
            return new AwsAuth(Method.OPERATOR, null, null, null, null, null, unresolved);
        }
        String provider = params.podIdentityProvider();
        if (provider != null) {
            if (!provider.equals("aws")) {
                // aws-eks was deprecated in KEDA 2.13 and aws-kiam removed: https://keda.sh/docs/latest/authentication-providers/aws-eks/
                warnings.add(field, "podIdentity.provider " + provider + " is deprecated in KEDA (use "
                        + "provider: aws); it still works here through the SDK's default credential chain");
            }
            String roleArn = params.podIdentityRoleArn() != null ? params.podIdentityRoleArn() : params.get("awsRoleArn");
            return new AwsAuth(Method.POD_IDENTITY, roleArn, null, null, null, provider, unresolved);
        }
        if (params.has("awsRoleArn")) {
            return new AwsAuth(Method.ROLE, params.get("awsRoleArn"), null, null, null, null, unresolved);
        }
        if (params.has("awsAccessKeyID") || params.has("awsAccessKeyId")) {
            String keyId = params.get("awsAccessKeyID") != null ? params.get("awsAccessKeyID") : params.get("awsAccessKeyId");
            if (!params.has("awsSecretAccessKey")) {
                problems.add(field, NO_SECRET_KEY + ": the authentication gives awsAccessKeyID but no awsSecretAccessKey");
                return null;
            }
            return new AwsAuth(Method.STATIC, null, keyId, params.get("awsSecretAccessKey"),
                    params.get("awsSessionToken"), null, unresolved);
        }
        return fromMetadata(metadata, env, field, problems, unresolved);
    }

    private static AwsAuth fromMetadata(Map<String, String> metadata, Function<String, String> env, String field,
                                        Problems problems, List<String> unresolved) {
        String keyId = metadata.get("awsAccessKeyID");
        if (keyId == null && metadata.get("awsAccessKeyIDFromEnv") != null) {
            keyId = blankToNull(env.apply(metadata.get("awsAccessKeyIDFromEnv")));
        }
        if (keyId == null) {
            problems.add(field, NO_ACCESS_KEY + ": give the trigger an authenticationRef with awsRoleArn, awsAccessKeyID"
                    + " + awsSecretAccessKey or podIdentity, or set metadata.identityOwner: operator"
                    + envHint(metadata, "awsAccessKeyIDFromEnv"));
            return null;
        }
        String secret = metadata.get("awsSecretAccessKeyFromEnv") == null
                ? null : blankToNull(env.apply(metadata.get("awsSecretAccessKeyFromEnv")));
        if (secret == null) {
            problems.add(field, NO_SECRET_KEY + envHint(metadata, "awsSecretAccessKeyFromEnv"));
            return null;
        }
        return new AwsAuth(Method.STATIC, null, keyId, secret, null, null, unresolved);
    }

    /** Names the environment variable (never its value) when the metadata points at one that is unset. */
    private static String envHint(Map<String, String> metadata, String key) {
        String variable = metadata.get(key);
        return variable == null ? "" : ": environment variable " + YamlView.quote(variable) + " (" + key + ") is not set";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
