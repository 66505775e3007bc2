package io.ddbstreamscaler.simulator;

import io.ddbstreamscaler.simulator.aws.Faults;
import io.ddbstreamscaler.simulator.aws.SimError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which answer each of five DescribeStream calls (100 ms apart) gets under each fault. */
class AwsFaultsTest {

    static final String OK = "ok";

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, fault, access key, answers of five calls ("status code" or ok)
                Arguments.of("no fault", fault((f, c) -> { }), "AKID", List.of(OK, OK, OK, OK, OK)),
                Arguments.of("rate limit of 5/s, burst 2", fault((f, c) -> f.rateLimit("DescribeStream", 5, 2,
                        // a token every 200 ms on top of the burst: the fourth call finds half a token
                        "LimitExceededException")), "AKID", List.of(OK, OK, OK, "400 LimitExceededException", OK)),
                Arguments.of("next two fail with 503", fault((f, c) -> f.failNext("DescribeStream", 2, 503,
                        "ServiceUnavailable")), "AKID", List.of("503 ServiceUnavailable", "503 ServiceUnavailable", OK, OK, OK)),
                Arguments.of("any operation fails once", fault((f, c) -> f.failNext(Faults.ANY, 1, 500,
                        "InternalServerError")), "AKID", List.of("500 InternalServerError", OK, OK, OK, OK)),
                Arguments.of("failing for 250 ms", fault((f, c) -> f.failFor("DescribeStream", Duration.ofMillis(250),
                        500, "InternalServerError")), "AKID", List.of("500 InternalServerError",
                        "500 InternalServerError", "500 InternalServerError", OK, OK)),
                Arguments.of("other operations are not limited", fault((f, c) -> f.failNext("DescribeTable", 5, 500,
                        "InternalServerError")), "AKID", List.of(OK, OK, OK, OK, OK)),
                Arguments.of("rejected key", fault((f, c) -> f.rejectAccessKey("AKID")), "AKID",
                        List.of("400 UnrecognizedClientException", "400 UnrecognizedClientException",
                                "400 UnrecognizedClientException", "400 UnrecognizedClientException",
                                "400 UnrecognizedClientException")),
                Arguments.of("denied key", fault((f, c) -> f.denyAccessKey("AKID")), "AKID",
                        List.of("400 AccessDeniedException", "400 AccessDeniedException", "400 AccessDeniedException",
                                "400 AccessDeniedException", "400 AccessDeniedException")),
                Arguments.of("another key is not rejected", fault((f, c) -> f.rejectAccessKey("AKIDOTHER")), "AKID",
                        List.of(OK, OK, OK, OK, OK)));
    }

    static BiConsumer<Faults, ManualClock> fault(BiConsumer<Faults, ManualClock> f) {
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answers(String name, BiConsumer<Faults, ManualClock> setup, String key, List<String> answers) {
        ManualClock clock = new ManualClock();
        Faults faults = new Faults(clock);
        setup.accept(faults, clock);

        List<String> got = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            SimError e = faults.check("DescribeStream", key);
            got.add(e == null ? OK : e.status() + " " + e.code());
            clock.advance(java.time.Duration.ofMillis(100));
        }

        assertEquals(answers, got);
    }
}
