package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.camel.ScalerAgent;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The floor is camel-main's own Main on the agent's jar and lib/, with the image's flags; the standby's Lease name. */
class CamelFloorTest {

    @org.junit.jupiter.api.Test
    void floorIsCamelMainOnTheAgentsClasspathWithTheImagesFlags() {
        assertEquals(List.of("/jdk/bin/java", "-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/./urandom",
                        "-cp", "/b/ddbstream-scaler.jar:/b/lib/*", "-Dcamel.main.routes-include-pattern=file:/w/floor.camel.yaml",
                        "org.apache.camel.main.Main"),
                CamelFloor.command("/jdk/bin/java", Path.of("/b/ddbstream-scaler.jar"), Path.of("/w/floor.camel.yaml")));
    }

    static Stream<Arguments> leases() {
        return Stream.of(
                arguments("plain names", "bench", "so-0001", "leaders-ddbstream-scaler-bench-so-0001"),
                arguments("upper case is lowered", "Team", "Orders", "leaders-ddbstream-scaler-team-orders"),
                arguments("dots and underscores become dashes", "a.b", "x_y", "leaders-ddbstream-scaler-a-b-x-y"));
    }

    /** As ScalerAgent.leaseGroup names camel-kubernetes' Lease ("leaders-" + group); kept equal by hand. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("leases")
    void standbyLeaseIsTheOneTheAgentCompetesFor(String row, String namespace, String name, String lease) {
        assertEquals(lease, FootprintBenchmark.Standby.leaseName(namespace, name));
    }
}
