package io.ddbstreamscaler.trigger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a value is quoted in an error: escaped, and cut after 80 characters so one line stays one line. */
class YamlViewTest {

    static Stream<Arguments> quoted() {
        return Stream.of(
                Arguments.of("plain", "orders", "\"orders\""),
                Arguments.of("escaped", "a\\b\"c\nd", "\"a\\\\b\\\"c\\nd\""),
                Arguments.of("80 characters: whole", "x".repeat(80), "\"" + "x".repeat(80) + "\""),
                Arguments.of("81 characters: cut to 77 and ...", "x".repeat(81), "\"" + "x".repeat(77) + "...\""),
                Arguments.of("much longer: cut the same", "y".repeat(5000), "\"" + "y".repeat(77) + "...\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quoted")
    void quotesAValueForAnError(String row, String value, String expected) {
        assertEquals(expected, YamlView.quote(value));
    }
}
