package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.stream.ProbeException.Kind;
import io.ddbstreamscaler.trigger.AwsAuth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.net.ConnectException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsFailuresTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/keda-dynamodb-streams";
    static final AwsAuth KEYS = Triggers.keys("AKIDFAILURES", "SECRETFAILURES", null);
    static final AwsAuth ROLE_AUTH = Triggers.role(ROLE);
    static final AwsAuth ROLE_WITH_EXTERNAL_ID = new AwsAuth(AwsAuth.Method.ROLE, ROLE, null, null, null, null,
            List.of(), "EXTERNALIDFAILURES");
    static final AwsCall STREAM = AwsCall.describeStream("orders", "us-east-1");
    static final AwsCall TABLE = AwsCall.describeTable("orders", "us-east-1");

    /** A DynamoDB answer with an error code the SDK parsed. */
    static AwsServiceException service(int status, String code) {
        return DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    /** A DynamoDB answer with no code the SDK could parse, and this body. */
    static AwsServiceException noCode(int status, String body) {
        return DynamoDbException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .rawResponse(body == null ? null : SdkBytes.fromUtf8String(body)).build()).build();
    }

    /** moto's answer to a JSON-protocol call it refuses (MotoConformanceIT): XML, so the SDK parses no code. */
    static AwsServiceException motoXml(String code) {
        return noCode(403, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error><Code>" + code
                + "</Code><Message>m</Message><Type>Sender</Type></Error></Errors></ErrorResponse>");
    }

    /** An STS failure as the credentials provider of a DynamoDB client throws it: wrapped in a client error. */
    static SdkException sts(int status, String code) {
        return SdkClientException.create("Unable to load credentials from StsAssumeRoleCredentialsProvider",
                StsException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder().errorCode(code)
                        .errorMessage("m").build()).build());
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, failure, auth, call, retryable, kind, message fragments
                Arguments.of("streams throttling", service(400, "LimitExceededException"), KEYS, STREAM, true,
                        Kind.THROTTLED, List.of("throttled after 3 attempts with backoff (LimitExceededException, HTTP 400)")),
                Arguments.of("throttling", service(400, "ThrottlingException"), KEYS, STREAM, true, Kind.THROTTLED,
                        List.of("throttled")),
                Arguments.of("HTTP 429 without a known code", service(429, "Whatever"), KEYS, STREAM, true,
                        Kind.THROTTLED, List.of("throttled", "HTTP 429")),
                Arguments.of("HTTP 429 without any code", noCode(429, null), KEYS, STREAM, true, Kind.THROTTLED,
                        List.of("throttled after 3 attempts with backoff (HTTP 429, no error code in the answer)")),
                Arguments.of("server error", service(500, "InternalServerError"), KEYS, STREAM, true, Kind.UNAVAILABLE,
                        List.of("AWS answered InternalServerError, HTTP 500 after 3 attempts with backoff",
                                "the next poll tries again")),
                Arguments.of("unavailable", service(503, "ServiceUnavailable"), KEYS, STREAM, true, Kind.UNAVAILABLE,
                        List.of("HTTP 503")),
                Arguments.of("HTML 502 from a proxy", noCode(502, "<html>Bad Gateway</html>"), KEYS, STREAM, true,
                        Kind.UNAVAILABLE, List.of("AWS answered HTTP 502, no error code in the answer after 3 attempts")),
                Arguments.of("connection refused", SdkClientException.create("Unable to execute HTTP request",
                        new ConnectException("Connection refused")), KEYS, STREAM, true, Kind.UNAVAILABLE,
                        List.of("Connection refused", "check awsEndpoint, awsRegion and the network")),
                Arguments.of("attempt timeout", ApiCallAttemptTimeoutException.create(2000), KEYS, STREAM, true,
                        Kind.UNAVAILABLE, List.of("unavailable after 3 attempts", "the network")),
                Arguments.of("unknown key", service(400, "UnrecognizedClientException"), KEYS, STREAM, false,
                        Kind.INVALID_CREDENTIALS, List.of("AWS rejected static keys (UnrecognizedClientException, HTTP 400)",
                                "check the keys (and session token) in the trigger's TriggerAuthentication and its Secret")),
                Arguments.of("expired token", service(400, "ExpiredTokenException"), KEYS, STREAM, false,
                        Kind.INVALID_CREDENTIALS, List.of("the trigger's TriggerAuthentication")),
                Arguments.of("no credentials at all", SdkClientException.create("Unable to load credentials from any "
                        + "of the providers in the chain"), KEYS, STREAM, false, Kind.INVALID_CREDENTIALS,
                        List.of("no AWS credentials found")),
                Arguments.of("access denied on DescribeStream", service(400, "AccessDeniedException"), KEYS, STREAM,
                        false, Kind.ACCESS_DENIED, List.of("access denied for static keys (AccessDeniedException, HTTP 400)",
                                "grant dynamodb:DescribeStream on arn:aws:dynamodb:us-east-1:<account>:table/orders/stream/*")),
                Arguments.of("access denied on DescribeTable", service(400, "AccessDeniedException"), KEYS, TABLE,
                        false, Kind.ACCESS_DENIED, List.of("DescribeTable orders in us-east-1: access denied",
                                "grant dynamodb:DescribeTable on arn:aws:dynamodb:us-east-1:<account>:table/orders (")),
                Arguments.of("moto: XML AccessDenied on DescribeStream", motoXml("AccessDenied"), KEYS, STREAM, false,
                        Kind.ACCESS_DENIED, List.of("access denied for static keys (AccessDenied, HTTP 403)",
                                "grant dynamodb:DescribeStream")),
                Arguments.of("moto: XML SignatureDoesNotMatch", motoXml("SignatureDoesNotMatch"), KEYS, TABLE, false,
                        Kind.INVALID_CREDENTIALS, List.of("AWS rejected static keys (SignatureDoesNotMatch, HTTP 403)")),
                Arguments.of("403 with no code at all", noCode(403, null), KEYS, STREAM, false, Kind.ACCESS_DENIED,
                        List.of("access denied or credentials rejected for static keys (HTTP 403, no error code in the answer)",
                                "grant dynamodb:DescribeStream", "if it is granted, check the keys")),
                Arguments.of("403 with an unknown code", service(403, "Forbidden"), KEYS, TABLE, false,
                        Kind.ACCESS_DENIED, List.of("access denied or credentials rejected", "(Forbidden, HTTP 403)")),
                Arguments.of("401 with no code", noCode(401, "{}"), KEYS, TABLE, false, Kind.INVALID_CREDENTIALS,
                        List.of("credentials rejected for static keys (HTTP 401, no error code in the answer)")),
                Arguments.of("404 with no code", noCode(404, "Not Found"), KEYS, STREAM, false, Kind.TABLE_NOT_FOUND,
                        List.of("not found (HTTP 404, no error code in the answer)", "awsEndpoint")),
                Arguments.of("validation error", service(400, "ValidationException"), KEYS, TABLE, false,
                        Kind.REQUEST_REJECTED, List.of("AWS refused the request (ValidationException, HTTP 400)")),
                Arguments.of("other 4xx with no code", noCode(413, ""), KEYS, TABLE, false, Kind.REQUEST_REJECTED,
                        List.of("AWS refused the request (HTTP 413, no error code in the answer)")),
                Arguments.of("AssumeRole denied", sts(403, "AccessDenied"), ROLE_AUTH, TABLE, false, Kind.ACCESS_DENIED,
                        List.of("AssumeRole of role " + ROLE + " (to sign DescribeTable orders in us-east-1): access denied"
                                + " for the agent's own credentials (default chain) (AccessDenied, HTTP 403)",
                                "trust policy", "sts:AssumeRole on " + ROLE,
                                "a trust policy with an sts:ExternalId condition needs awsExternalId")),
                Arguments.of("AssumeRole denied with an external id", sts(403, "AccessDenied"), ROLE_WITH_EXTERNAL_ID,
                        TABLE, false, Kind.ACCESS_DENIED, List.of("AssumeRole of role " + ROLE,
                                "its sts:ExternalId condition must equal the trigger's awsExternalId")),
                Arguments.of("AssumeRole with rejected ambient keys", sts(403, "InvalidClientTokenId"), ROLE_AUTH,
                        STREAM, false, Kind.INVALID_CREDENTIALS, List.of("AssumeRole of role " + ROLE,
                                "AWS rejected the agent's own credentials (default chain) (InvalidClientTokenId, HTTP 403)")),
                Arguments.of("AssumeRole: STS unavailable", sts(503, "ServiceUnavailable"), ROLE_AUTH, TABLE, true,
                        Kind.UNAVAILABLE, List.of("AssumeRole of role " + ROLE, "AWS answered ServiceUnavailable, HTTP 503")),
                Arguments.of("AssumeRole: STS 404 is no missing table", sts(404, null), ROLE_AUTH, TABLE, false,
                        Kind.REQUEST_REJECTED, List.of("AssumeRole of role " + ROLE, "HTTP 404")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifiesAndExplains(String name, SdkException failure, AwsAuth auth, AwsCall call, boolean retryable,
                               Kind kind, List<String> fragments) {
        ProbeException e = AwsFailures.translate(failure, call, auth, 3, 4);

        assertAll(
                () -> assertEquals(retryable, AwsFailures.isRetryable(failure)),
                () -> assertEquals(kind, e.kind(), e.getMessage()),
                () -> assertTrue(e.getMessage().startsWith(call.describe() + ": ")
                        || e.getMessage().startsWith("AssumeRole of role " + ROLE + " (to sign " + call.describe() + "): "),
                        e.getMessage()),
                () -> fragments.forEach(f -> assertTrue(e.getMessage().contains(f), "lacks «" + f + "»: " + e.getMessage())),
                () -> assertFalse(e.getMessage().contains("the network") && AwsFailures.serviceCause(failure) != null,
                        "an answer is never a network problem: " + e.getMessage()),
                () -> List.of("AKIDFAILURES", "SECRETFAILURES", "EXTERNALIDFAILURES").forEach(secret ->
                        assertFalse(e.getMessage().contains(secret), e.getMessage())),
                () -> assertEquals(4, e.awsCalls()));
    }

    static Stream<Arguments> notFoundRows() {
        return Stream.of(
                // name, failure, a missing table (or stream)
                Arguments.of("ResourceNotFoundException", service(400, "ResourceNotFoundException"), true),
                Arguments.of("404 without a code", noCode(404, null), true),
                Arguments.of("404 with a known other code", service(404, "AccessDeniedException"), false),
                Arguments.of("STS 404", sts(404, null), false),
                Arguments.of("403", motoXml("AccessDenied"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notFoundRows")
    void tellsAMissingTable(String name, SdkException failure, boolean notFound) {
        assertEquals(notFound, AwsFailures.isNotFound(failure));
    }
}
