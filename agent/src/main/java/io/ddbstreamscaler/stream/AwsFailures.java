package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.Causes;
import io.ddbstreamscaler.stream.ProbeException.Kind;
import io.ddbstreamscaler.trigger.AwsAuth;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sorts AWS SDK failures into retryable or not, and into {@link ProbeException.Kind}s with a what-to-do message.
 * The error code decides first; when the answer has none the SDK can read (or one this class does not know), its HTTP
 * status does: an answer that came back is never reported as a network problem.
 */
final class AwsFailures {

    /**
     * Throttling codes. DynamoDB Streams answers LimitExceededException (400) and the SDK never retries it
     * (no retry mode of the SDK retries it: AwsFailuresTest); the others are the SDK's own THROTTLING_ERROR_CODES.
     */
    static final Set<String> THROTTLING = Set.of("LimitExceededException", "ThrottlingException", "Throttling",
            "ThrottledException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
            "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown");

    /** Codes of rejected credentials, from DynamoDB (JSON) and STS (Query). */
    static final Set<String> BAD_CREDENTIALS = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature", "ExpiredToken",
            "ExpiredTokenException", "MissingAuthenticationToken", "MissingAuthenticationTokenException");

    static final Set<String> ACCESS_DENIED = Set.of("AccessDeniedException", "AccessDenied");

    static final String NOT_FOUND = "ResourceNotFoundException";

    /**
     * An error code inside an XML body. AWS answers JSON-protocol services in JSON, but an emulator or a proxy in
     * front of the endpoint may answer XML (moto does for its IAM and signature checks: MotoConformanceIT), and the SDK
     * then parses no code at all.
     */
    private static final Pattern XML_CODE = Pattern.compile("<Code>\\s*([A-Za-z][A-Za-z0-9.]{0,63})\\s*</Code>");
    /** Enough of a body to find its code; error bodies are small. */
    private static final int BODY_SCAN_CHARS = 4096;

    private AwsFailures() {
    }

    /** The error code AWS gave: the one the SDK parsed, else one found in an XML body; null when there is none. */
    static String errorCode(Throwable t) {
        AwsServiceException s = serviceCause(t);
        if (s == null || s.awsErrorDetails() == null) {
            return null;
        }
        AwsErrorDetails d = s.awsErrorDetails();
        String parsed = d.errorCode();
        if (parsed != null && !parsed.isBlank() && !parsed.chars().allMatch(Character::isDigit)) {
            return parsed;
        }
        String body = d.rawResponse() != null ? d.rawResponse().asString(StandardCharsets.UTF_8) : d.errorMessage();
        if (body == null) {
            return null;
        }
        Matcher m = XML_CODE.matcher(body.length() > BODY_SCAN_CHARS ? body.substring(0, BODY_SCAN_CHARS) : body);
        return m.find() ? m.group(1) : null;
    }

    /** The service error behind {@code t}: the SDK wraps STS failures of a credentials provider in client errors. */
    static AwsServiceException serviceCause(Throwable t) {
        return Causes.find(t, AwsServiceException.class).orElse(null);
    }

    static boolean isThrottling(Throwable t) {
        AwsServiceException s = serviceCause(t);
        return s != null && (s.statusCode() == 429 || in(THROTTLING, errorCode(s)));
    }

    /**
     * DynamoDB's ResourceNotFoundException, or a 404 whose code (if any) this class does not know. Not STS's: a role
     * that cannot be assumed is an AssumeRole failure, never a missing table.
     */
    static boolean isNotFound(Throwable t) {
        AwsServiceException s = serviceCause(t);
        String code = errorCode(t);
        return s != null && !(s instanceof StsException)
                && (NOT_FOUND.equals(code) || (s.statusCode() == 404 && !known(code)));
    }

    /** Throttling, 5xx, timeouts and I/O errors are worth another attempt; a wrong table or key is not. */
    static boolean isRetryable(Throwable t) {
        AwsServiceException s = serviceCause(t);
        if (s != null) {
            return isThrottling(s) || s.statusCode() >= 500;
        }
        return t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException
                || hasCause(t, IOException.class);
    }

    /** DescribeTable found no such table. */
    static ProbeException tableNotFound(AwsCall call, SdkException e, int awsCalls) {
        String code = errorCode(e);
        return new ProbeException(Kind.TABLE_NOT_FOUND, "table " + call.table() + " not found in region "
                + call.region() + ": check tableName and awsRegion of the trigger" + (NOT_FOUND.equals(code) ? ""
                : " (HTTP 404 with no error code: if the table exists, check awsEndpoint)"), awsCalls, e);
    }

    /**
     * The typed failure of a call that failed for good.
     *
     * @param auth the trigger's identity: messages name it with {@link AwsCredentialsFactory#describe}, never a secret
     */
    static ProbeException translate(SdkException e, AwsCall call, AwsAuth auth, int attempts, int awsCalls) {
        AwsServiceException s = serviceCause(e);
        if (s instanceof StsException && auth.roleArn() != null) {
            return assumeRoleFailure(e, s, call, auth, attempts, awsCalls);
        }
        String what = call.describe();
        String identity = AwsCredentialsFactory.describe(auth);
        String code = errorCode(e);
        if (s == null) {
            if (e.getMessage() != null && e.getMessage().contains("Unable to load credentials")) {
                return new ProbeException(Kind.INVALID_CREDENTIALS, what + ": no AWS credentials found for " + identity
                        + ": set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token, or a profile", awsCalls, e);
            }
            // Nothing came back: only here is the network (or the endpoint's address) the suspect.
            return new ProbeException(Kind.UNAVAILABLE, what + ": unavailable after " + attempts + " attempts: "
                    + shortCause(e) + ": check awsEndpoint, awsRegion and the network; the next poll tries again",
                    awsCalls, e);
        }
        String answer = answer(code, s.statusCode());
        if (in(ACCESS_DENIED, code)) {
            return new ProbeException(Kind.ACCESS_DENIED, what + ": access denied for " + identity + " (" + answer
                    + "): " + call.grant(), awsCalls, e);
        }
        if (in(BAD_CREDENTIALS, code)) {
            return new ProbeException(Kind.INVALID_CREDENTIALS, what + ": AWS rejected " + identity + " (" + answer
                    + "): " + checkCredentials(auth), awsCalls, e);
        }
        if (isThrottling(e)) {
            return new ProbeException(Kind.THROTTLED, what + ": throttled after " + attempts + " attempts with backoff ("
                    + answer + "): lower the call budget or spread the triggers over more accounts", awsCalls, e);
        }
        if (isNotFound(e)) {
            return new ProbeException(Kind.TABLE_NOT_FOUND, what + ": not found (" + answer
                    + "): check tableName, awsRegion and awsEndpoint of the trigger", awsCalls, e);
        }
        return byStatus(e, s.statusCode(), what, identity, answer, call.grant(), checkCredentials(auth), attempts,
                awsCalls);
    }

    /** An answer whose code is absent or unknown: its status tells what happened. */
    private static ProbeException byStatus(SdkException e, int status, String what, String identity, String answer,
                                           String grant, String checkCredentials, int attempts, int awsCalls) {
        if (status == 401) {
            return new ProbeException(Kind.INVALID_CREDENTIALS, what + ": credentials rejected for " + identity + " ("
                    + answer + "): " + checkCredentials, awsCalls, e);
        }
        if (status == 403) {
            return new ProbeException(Kind.ACCESS_DENIED, what + ": access denied or credentials rejected for "
                    + identity + " (" + answer + "): " + grant + "; if it is granted, " + checkCredentials, awsCalls, e);
        }
        if (status >= 500) {
            return new ProbeException(Kind.UNAVAILABLE, what + ": AWS answered " + answer + " after " + attempts
                    + " attempts with backoff: the service is unavailable; the next poll tries again", awsCalls, e);
        }
        return new ProbeException(Kind.REQUEST_REJECTED, what + ": AWS refused the request (" + answer
                + "): check the trigger's tableName, awsRegion and awsEndpoint", awsCalls, e);
    }

    /** STS failed to give the role's credentials: the trust policy, sts:AssumeRole or the caller's own keys. */
    private static ProbeException assumeRoleFailure(SdkException e, AwsServiceException s, AwsCall call, AwsAuth auth,
                                                    int attempts, int awsCalls) {
        String what = "AssumeRole of role " + auth.roleArn() + " (to sign " + call.describe() + ")";
        String assumer = AwsCredentialsFactory.assumer(auth);
        String code = errorCode(e);
        String answer = answer(code, s.statusCode());
        if (in(BAD_CREDENTIALS, code) || (code == null && s.statusCode() == 401)) {
            return new ProbeException(Kind.INVALID_CREDENTIALS, what + ": AWS rejected " + assumer + " (" + answer
                    + "): check the credentials the agent assumes the role with", awsCalls, e);
        }
        if (in(ACCESS_DENIED, code) || (!known(code) && s.statusCode() == 403)) {
            String externalId = auth.hasExternalId()
                    ? " and its sts:ExternalId condition must equal the trigger's awsExternalId"
                    : " (a trust policy with an sts:ExternalId condition needs awsExternalId in the TriggerAuthentication)";
            return new ProbeException(Kind.ACCESS_DENIED, what + ": access denied for " + assumer + " (" + answer
                    + "): the role's trust policy must allow that principal to assume it" + externalId
                    + ", and the principal needs sts:AssumeRole on " + auth.roleArn(), awsCalls, e);
        }
        if (isThrottling(e)) {
            return new ProbeException(Kind.THROTTLED, what + ": throttled (" + answer
                    + "): the SDK retried with backoff; the next poll tries again", awsCalls, e);
        }
        return byStatus(e, s.statusCode(), what, assumer, answer, "check the role ARN " + auth.roleArn(),
                "check the credentials the agent assumes the role with", attempts, awsCalls);
    }

    /** {@code AccessDenied, HTTP 403}, or {@code HTTP 403, no error code in the answer}. */
    private static String answer(String code, int status) {
        return code != null ? code + ", HTTP " + status : "HTTP " + status + ", no error code in the answer";
    }

    private static String checkCredentials(AwsAuth auth) {
        return auth.method() == AwsAuth.Method.STATIC
                ? "check the keys (and session token) in the trigger's TriggerAuthentication and its Secret"
                : "check the agent's own credentials (environment, web identity token, profile)";
    }

    private static boolean known(String code) {
        return in(ACCESS_DENIED, code) || in(BAD_CREDENTIALS, code) || in(THROTTLING, code) || NOT_FOUND.equals(code);
    }

    /** Set.of(...).contains(null) throws: an error without a code is in no set. */
    private static boolean in(Set<String> codes, String code) {
        return code != null && codes.contains(code);
    }

    private static String shortCause(Throwable t) {
        return Causes.rootSummary(t);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        return Causes.find(t, type).isPresent();
    }
}
