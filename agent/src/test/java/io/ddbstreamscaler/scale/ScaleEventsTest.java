package io.ddbstreamscaler.scale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Event messages are cut to the API server's 1024 bytes, on a character boundary. */
class ScaleEventsTest {

    static Stream<Arguments> messages() {
        return Stream.of(
                // name, message, expected bytes, expected ending
                Arguments.of("short: as it is", "New size: 4", 11, "New size: 4"),
                Arguments.of("exactly the limit: as it is", "a".repeat(1024), 1024, "aaa"),
                Arguments.of("one byte over: cut with a mark", "a".repeat(1025), 1024, "a..."),
                Arguments.of("two-byte characters are never split", "é".repeat(600), 1023, "é..."),
                Arguments.of("four-byte characters are never split", "\uD83D\uDE80".repeat(300), 1023, "\uD83D\uDE80..."),
                Arguments.of("null: empty", null, 0, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void messagesFitTheApiServersLimit(String name, String message, int expectedBytes, String expectedEnd) {
        String cut = ScaleEvents.truncate(message);
        assertEquals(expectedBytes, cut.getBytes(StandardCharsets.UTF_8).length, cut);
        assertEquals(true, cut.endsWith(expectedEnd), cut);
    }
}
