package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationArgTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("bare seconds", "90", Duration.ofSeconds(90)),
                Arguments.of("seconds", "45s", Duration.ofSeconds(45)),
                Arguments.of("minutes", "5m", Duration.ofMinutes(5)),
                Arguments.of("minutes and seconds", "1m30s", Duration.ofSeconds(90)),
                Arguments.of("hours", "1h", Duration.ofHours(1)),
                Arguments.of("ISO-8601", "PT2M", Duration.ofMinutes(2)),
                Arguments.of("upper case and blanks", " 3M ", Duration.ofMinutes(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String name, String text, Duration expected) {
        assertEquals(expected, DurationArg.parse("--duration", text));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("zero", "0s"),
                Arguments.of("unknown unit", "5d"),
                Arguments.of("negative", "-5s"),
                Arguments.of("bad ISO", "PTxM"),
                Arguments.of("words", "five minutes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsNamingTheOptionAndTheValue(String name, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationArg.parse("--duration", text));
        assertEquals("--duration must be a positive duration such as 90s, 5m or 1m30s, got '" + text + "'", e.getMessage());
    }
}
