package io.ddbstreamscaler.trigger;

import java.util.List;

/**
 * The AWS identity one trigger uses, after KEDA's precedence ({@code pkg/scalers/aws/aws_common.go}): operator
 * (ROLE when it also has an awsRoleArn, as KEDA assumes it), then pod identity (KEDA checks the provider first), then
 * role, then keys from the authentication, then keys from the trigger metadata / environment.
 * Secret values never appear in {@link #toString()}.
 *
 * @param method              how credentials are obtained
 * @param roleArn             the role to assume (ROLE, or POD_IDENTITY with {@code podIdentity.roleArn}), else null
 * @param accessKeyId         STATIC only
 * @param secretAccessKey     STATIC only
 * @param sessionToken        STATIC only, optional
 * @param podIdentityProvider {@code aws}, {@code aws-eks} or {@code aws-kiam} for POD_IDENTITY, else null
 * @param unresolvedSecrets   "namespace/name" of Secrets the files do not hold: resolved at run time from the cluster
 * @param externalId          KEDA's {@code awsExternalId}: the ExternalId of the AssumeRole call, only with a roleArn
 *                            (else null: KEDA ignores it without a role); never printed
 */
public record AwsAuth(Method method, String roleArn, String accessKeyId, String secretAccessKey, String sessionToken,
                      String podIdentityProvider, List<String> unresolvedSecrets, String externalId) {

    public enum Method {
        /** Access key id + secret (+ session token). */
        STATIC("static"),
        /** Assume {@code roleArn} with the ambient credentials. */
        ROLE("role"),
        /** The pod's web identity (IRSA / EKS Pod Identity) or kiam, through the SDK's default chain. */
        POD_IDENTITY("podIdentity"),
        /** {@code identityOwner: operator}: the agent's own ambient credential chain. */
        OPERATOR("operator");

        private final String json;

        Method(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    public AwsAuth {
        unresolvedSecrets = unresolvedSecrets == null ? List.of() : List.copyOf(unresolvedSecrets);
    }

    /** Without an external id: every identity but a cross-account role. */
    public AwsAuth(Method method, String roleArn, String accessKeyId, String secretAccessKey, String sessionToken,
                   String podIdentityProvider, List<String> unresolvedSecrets) {
        this(method, roleArn, accessKeyId, secretAccessKey, sessionToken, podIdentityProvider, unresolvedSecrets, null);
    }

    public static AwsAuth operator() {
        return new AwsAuth(Method.OPERATOR, null, null, null, null, null, List.of());
    }

    public boolean hasSessionToken() {
        return sessionToken != null && !sessionToken.isBlank();
    }

    public boolean hasExternalId() {
        return externalId != null && !externalId.isBlank();
    }

    @Override
    public String toString() {
        return "AwsAuth[method=" + method.json() + (roleArn != null ? ", roleArn=" + roleArn : "")
                + (accessKeyId != null ? ", accessKeyId=<redacted>" : "")
                + (podIdentityProvider != null ? ", podIdentity=" + podIdentityProvider : "")
                + (hasExternalId() ? ", externalId=<set>" : "") + "]";
    }
}
