package io.ddbstreamscaler.bench;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The floor is camel-main's own Main on the agent's jar and lib/, with the image's flags. */
class CamelFloorTest {

    @org.junit.jupiter.api.Test
    void floorIsCamelMainOnTheAgentsClasspathWithTheImagesFlags() {
        assertEquals(List.of("/jdk/bin/java", "-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/./urandom",
                        "-cp", "/b/ddbstream-scaler.jar:/b/lib/*", "-Dcamel.main.routes-include-pattern=file:/w/floor.camel.yaml",
                        "org.apache.camel.main.Main"),
                CamelFloor.command("/jdk/bin/java", Path.of("/b/ddbstream-scaler.jar"), Path.of("/w/floor.camel.yaml")));
    }
}
