package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The footprint benchmark measures the JVM the image runs: its flags must stay the Dockerfile's. */
class ShippedJvmTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("JAVA_TOOL_OPTIONS", "JAVA_TOOL_OPTIONS=\"" + ShippedJvm.JAVA_TOOL_OPTIONS + "\""),
                Arguments.of("ENTRYPOINT flags", "ENTRYPOINT [\"java\", \"" + String.join("\", \"", ShippedJvm.ENTRYPOINT_FLAGS)
                        + "\", \"-jar\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void flagsAreTheDockerfiles(String name, String expected) throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertTrue(dockerfile.contains(expected), "the Dockerfile no longer holds " + expected);
    }
}
