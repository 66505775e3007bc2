package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.ElectionTiming;
import org.apache.camel.spi.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What the Java side needs from the routes is checked when they load: an edit of routes/scale-loop.camel.yaml that
 * drops it is refused with a message naming what is missing; the edits the routes are there for load.
 */
class RouteContractTest {

    static final ElectionTiming SHIPPED = ElectionTiming.DEFAULT;

    static Stream<Arguments> refused() {
        return Stream.of(
                // name, the edit of scale-loop.camel.yaml, the election periods, what the message names
                arguments("the write step removed", edit("""
                                - bean:
                                    ref: scale
                                    method: write
                        """, ""), SHIPPED, "route 'scale-loop' must call [stream.probe, policy.decide, scale.write]"),
                arguments("the policy after the write", (UnaryOperator<String>) edit("""
                                - bean:
                                    ref: policy
                                    method: decide
                        """, "").andThen(edit("""
                                - multicast:
                        """, """
                                - bean:
                                    ref: policy
                                    method: decide
                                - multicast:
                        """))::apply, SHIPPED, "but calls [stream.probe, scale.write, policy.decide]"),
                arguments("the Lease pass route renamed", edit("id: lease-spread", "id: leases"), SHIPPED,
                        "no route with id 'lease-spread'"),
                arguments("the schedule's bean step removed from the dispatcher", edit("""
                                - bean:
                                    ref: schedule
                                    method: due
                        """, ""), SHIPPED, "route 'poll-dispatch' must call [schedule.due]"),
                arguments("a bean the agent does not have", edit("ref: stream", "ref: streams"), SHIPPED,
                        "the routes name beans the agent does not have: [streams]"),
                arguments("a Lease pass too slow for the lease", edit("\"{{scaler.lease-pass-period}}\"", "10000"),
                        SHIPPED, "a Lease pass every 10000 ms is too slow for a 15000 ms lease"),
                arguments("the shipped pass against a short lease", UnaryOperator.identity(),
                        new ElectionTiming(Duration.ofSeconds(3), Duration.ofMillis(400)), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void anEditThatDropsWhatTheAgentNeedsIsRefused(String name, UnaryOperator<String> edit, ElectionTiming election,
                                                   String inMessage, @TempDir Path dir) throws Exception {
        List<Resource> routes = routes(dir, edit);
        if (inMessage == null) {
            assertDoesNotThrow(() -> RouteFolder.validate(routes, RouteFolderTest.beans(), election));
            return;
        }
        Exception error = assertThrows(IllegalArgumentException.class,
                () -> RouteFolder.validate(routes, RouteFolderTest.beans(), election));
        assertTrue(error.getMessage().contains(inMessage), error.getMessage());
    }

    @Test
    void aLeasePassTheRouteSetsFasterThanTheShippedOneIsAccepted(@TempDir Path dir) throws Exception {
        List<Resource> routes = routes(dir, edit("\"{{scaler.lease-pass-period}}\"", "500"));
        assertDoesNotThrow(() -> RouteFolder.validate(routes, RouteFolderTest.beans(), SHIPPED));
    }

    static UnaryOperator<String> edit(String from, String to) {
        return yaml -> {
            assertTrue(yaml.contains(from), "the shipped route holds " + from);
            return yaml.replace(from, to);
        };
    }

    private static List<Resource> routes(Path dir, UnaryOperator<String> edit) throws Exception {
        for (Path f : Files.list(Path.of("routes")).toList()) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        Path loop = dir.resolve("scale-loop.camel.yaml");
        Files.writeString(loop, edit.apply(Files.readString(loop)));
        return new RouteFolder(dir).read();
    }
}
