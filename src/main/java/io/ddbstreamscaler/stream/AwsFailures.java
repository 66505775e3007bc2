package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.stream.ProbeException.Kind;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.util.Set;

/** Sorts AWS SDK failures into retryable or not, and into {@link ProbeException.Kind}s with a what-to-do message. */
final class AwsFailures {

    /**
     * Throttling codes. DynamoDB Streams answers LimitExceededException (400) and the SDK never retries it
     * (FIELD-NOTES: "not retried by any SDK retry mode"); the others are the SDK's own THROTTLING_ERROR_CODES.
     */
    static final Set<String> THROTTLING = Set.of("LimitExceededException", "ThrottlingException", "Throttling",
            "ThrottledException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
            "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown");

    /** Codes of rejected credentials, from DynamoDB (JSON) and STS (Query). */
    static final Set<String> BAD_CREDENTIALS = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature", "ExpiredToken",
            "ExpiredTokenException", "MissingAuthenticationToken", "MissingAuthenticationTokenException");

    static final Set<String> ACCESS_DENIED = Set.of("AccessDeniedException", "AccessDenied");

    private AwsFailures() {
    }

    static String errorCode(Throwable t) {
        AwsServiceException s = serviceCause(t);
        return s == null || s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
    }

    /** The service error behind {@code t}: the SDK wraps STS failures of a credentials provider in client errors. */
    static AwsServiceException serviceCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AwsServiceException s) {
                return s;
            }
        }
        return null;
    }

    static boolean isThrottling(Throwable t) {
        AwsServiceException s = serviceCause(t);
        return s != null && (s.statusCode() == 429 || in(THROTTLING, errorCode(s)));
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

    /**
     * The typed failure of a call that failed for good.
     *
     * @param call     e.g. {@code DescribeStream on table orders in us-east-1}
     * @param identity from {@link AwsCredentialsFactory#describe}, never a secret
     */
    static ProbeException translate(SdkException e, String call, String identity, int attempts, int awsCalls) {
        String code = errorCode(e);
        if (in(ACCESS_DENIED, code)) {
            return new ProbeException(Kind.ACCESS_DENIED, call + ": access denied for " + identity
                    + ": grant dynamodb:DescribeTable, dynamodb:DescribeStream (and sts:AssumeRole for a role)", awsCalls, e);
        }
        if (in(BAD_CREDENTIALS, code)) {
            return new ProbeException(Kind.INVALID_CREDENTIALS, call + ": AWS rejected " + identity + " (" + code
                    + "): check the trigger's TriggerAuthentication and its Secret", awsCalls, e);
        }
        if (serviceCause(e) == null && e.getMessage() != null && e.getMessage().contains("Unable to load credentials")) {
            return new ProbeException(Kind.INVALID_CREDENTIALS, call + ": no AWS credentials found for " + identity
                    + ": set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token, or a profile", awsCalls, e);
        }
        if (isThrottling(e)) {
            return new ProbeException(Kind.THROTTLED, call + ": throttled after " + attempts + " attempts (" + code
                    + "): lower the call budget or spread the triggers over more accounts", awsCalls, e);
        }
        String why = code != null ? code + " (HTTP " + serviceCause(e).statusCode() + ")" : shortCause(e);
        return new ProbeException(Kind.UNAVAILABLE, call + ": unavailable after " + attempts + " attempts: " + why
                + ": check awsEndpoint, awsRegion and the network; the next poll tries again", awsCalls, e);
    }

    /** Set.of(...).contains(null) throws: an error without a code is in no set. */
    private static boolean in(Set<String> codes, String code) {
        return code != null && codes.contains(code);
    }

    private static String shortCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
