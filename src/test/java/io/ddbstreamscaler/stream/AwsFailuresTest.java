package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.stream.ProbeException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.net.ConnectException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsFailuresTest {

    static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, failure, retryable, kind, message fragment
                Arguments.of("streams throttling", service(400, "LimitExceededException"), true, Kind.THROTTLED,
                        "throttled after 3 attempts"),
                Arguments.of("throttling", service(400, "ThrottlingException"), true, Kind.THROTTLED, "throttled"),
                Arguments.of("HTTP 429 without a known code", service(429, "Whatever"), true, Kind.THROTTLED, "throttled"),
                Arguments.of("server error", service(500, "InternalServerError"), true, Kind.UNAVAILABLE,
                        "InternalServerError (HTTP 500)"),
                Arguments.of("unavailable", service(503, "ServiceUnavailable"), true, Kind.UNAVAILABLE, "HTTP 503"),
                Arguments.of("connection refused", SdkClientException.create("Unable to execute HTTP request",
                        new ConnectException("Connection refused")), true, Kind.UNAVAILABLE, "Connection refused"),
                Arguments.of("attempt timeout", ApiCallAttemptTimeoutException.create(2000), true, Kind.UNAVAILABLE,
                        "unavailable after 3 attempts"),
                Arguments.of("unknown key", service(400, "UnrecognizedClientException"), false,
                        Kind.INVALID_CREDENTIALS, "AWS rejected static keys"),
                Arguments.of("sts unknown key inside a client error", SdkClientException.create("Unable to load",
                        service(403, "InvalidClientTokenId")), false, Kind.INVALID_CREDENTIALS, "InvalidClientTokenId"),
                Arguments.of("expired token", service(400, "ExpiredTokenException"), false, Kind.INVALID_CREDENTIALS,
                        "check the trigger's TriggerAuthentication"),
                Arguments.of("no credentials at all", SdkClientException.create("Unable to load credentials from any "
                        + "of the providers in the chain"), false, Kind.INVALID_CREDENTIALS, "no AWS credentials found"),
                Arguments.of("access denied", service(400, "AccessDeniedException"), false, Kind.ACCESS_DENIED,
                        "grant dynamodb:DescribeTable, dynamodb:DescribeStream"),
                Arguments.of("sts access denied", service(403, "AccessDenied"), false, Kind.ACCESS_DENIED,
                        "sts:AssumeRole"),
                Arguments.of("validation error", service(400, "ValidationException"), false, Kind.UNAVAILABLE,
                        "ValidationException (HTTP 400)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifiesAndExplains(String name, SdkException failure, boolean retryable, Kind kind, String message) {
        ProbeException e = AwsFailures.translate(failure, "DescribeStream of table orders in us-east-1",
                "static keys", 3, 4);

        assertAll(
                () -> assertEquals(retryable, AwsFailures.isRetryable(failure)),
                () -> assertEquals(kind, e.kind()),
                () -> assertTrue(e.getMessage().startsWith("DescribeStream of table orders in us-east-1: "), e.getMessage()),
                () -> assertTrue(e.getMessage().contains(message), e.getMessage()),
                () -> assertEquals(4, e.awsCalls()));
    }
}
