package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.trigger.AwsAuth;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Builds the credentials provider of one trigger's {@link AwsAuth}, following KEDA's
 * {@code pkg/scalers/aws/aws_common.go} (GetAwsConfig): static keys, else assume-role over the ambient chain,
 * else the ambient chain itself.
 */
final class AwsCredentialsFactory {

    /** Session name of every AssumeRole call, so CloudTrail shows who assumed the role. */
    static final String SESSION_NAME = "ddbstream-scaler";
    /** Refresh assumed-role credentials this long before they expire (the SDK's own default is 5 min). */
    static final Duration PREFETCH = Duration.ofMinutes(5);
    static final Duration STALE = Duration.ofMinutes(1);

    private final AwsCredentialsProvider ambient;

    AwsCredentialsFactory(AwsCredentialsProvider ambient) {
        this.ambient = ambient;
    }

    AwsCredentialsProvider ambient() {
        return ambient;
    }

    /**
     * @param sts supplies the STS client (signed by the ambient chain) only when a role must be assumed
     */
    AwsCredentialsProvider create(AwsAuth auth, Supplier<StsClient> sts) {
        return switch (auth.method()) {
            case STATIC -> StaticCredentialsProvider.create(auth.hasSessionToken()
                    ? AwsSessionCredentials.create(auth.accessKeyId(), auth.secretAccessKey(), auth.sessionToken())
                    : AwsBasicCredentials.create(auth.accessKeyId(), auth.secretAccessKey()));
            case ROLE -> assumeRole(auth.roleArn(), auth.externalId(), sts.get());
            // The default chain covers the web identity token file (IRSA) and the EKS Pod Identity container
            // endpoint; podIdentity.roleArn asks for one more hop on top of it, as KEDA's aws-eks provider does.
            case POD_IDENTITY -> auth.roleArn() == null ? ambient : assumeRole(auth.roleArn(), auth.externalId(), sts.get());
            case OPERATOR -> ambient;
        };
    }

    /** @param externalId KEDA's awsExternalId, null when not set (KEDA then sends none either) */
    private static AwsCredentialsProvider assumeRole(String roleArn, String externalId, StsClient sts) {
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME).externalId(externalId))
                .prefetchTime(PREFETCH)
                .staleTime(STALE)
                // Refresh on the calling thread: one agent, few roles; no background threads to leak.
                .asyncCredentialUpdateEnabled(false)
                .build();
    }

    /** What the credentials are, for messages: never a secret, never an access key id. */
    static String describe(AwsAuth auth) {
        return switch (auth.method()) {
            case STATIC -> "static keys" + (auth.hasSessionToken() ? " with a session token" : "");
            case ROLE -> "role " + auth.roleArn() + externalIdNote(auth);
            case POD_IDENTITY -> "pod identity" + (auth.roleArn() != null ? " assuming " + auth.roleArn() : "")
                    + externalIdNote(auth);
            case OPERATOR -> "the agent's own credentials (default chain)";
        };
    }

    /** Whether an external id goes with the AssumeRole: never its value. */
    private static String externalIdNote(AwsAuth auth) {
        return auth.hasExternalId() ? " with an external id" : "";
    }

    /** Who calls STS to assume the role: the identity a trust policy must name. */
    static String assumer(AwsAuth auth) {
        return auth.method() == AwsAuth.Method.POD_IDENTITY ? "the pod's identity (default chain)"
                : "the agent's own credentials (default chain)";
    }
}
