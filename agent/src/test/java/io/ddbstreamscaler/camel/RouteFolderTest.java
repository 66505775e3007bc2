package io.ddbstreamscaler.camel;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading the route folder: the shipped routes load; broken sets are refused before they reach the agent. */
class RouteFolderTest {

    static DefaultRegistry beans() {
        DefaultRegistry registry = new DefaultRegistry();
        // The beans the routes name, as the agent binds them (behaviour is irrelevant to loading).
        for (String name : List.of("stream", "policy", "scale", "metrics", "failures", "events", "schedule", "leases")) {
            registry.bind(name, new Object() {
                public Object probe(Object o) { return o; }
                public Object decide(Object o) { return o; }
                public Object write(Object o) { return o; }
                public Object written(Object o) { return o; }
                public void record(Object o) { }
                public void report(Object o) { }
            });
        }
        return registry;
    }

    @Test
    void theShippedRoutesLoad() throws Exception {
        List<Resource> routes = new RouteFolder(Path.of("routes")).read();
        assertEquals(3, routes.size());
        assertDoesNotThrow(() -> RouteFolder.validate(routes, beans()));
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("YAML that does not parse", "sinks.camel.yaml", "- route: [unclosed\n", ""),
                Arguments.of("an unknown step", "sinks.camel.yaml", "- route:\n    from:\n      uri: direct:x\n      steps:\n        - nosuchstep: {}\n", ""),
                Arguments.of("an empty file", "scale-loop.camel.yaml", "# nothing\n", "Unable to parse resource"),
                Arguments.of("no dispatcher route", "scale-loop.camel.yaml",
                        "- route:\n    id: lonely\n    from:\n      uri: direct:lonely\n      steps:\n        - log: x\n",
                        "no route with id 'poll-dispatch'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenSetIsRefused(String name, String file, String content, String inMessage, @TempDir Path dir) throws Exception {
        for (Path f : Files.list(Path.of("routes")).toList()) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        Files.writeString(dir.resolve(file), content);
        List<Resource> routes = new RouteFolder(dir).read();
        Exception error = assertThrows(Exception.class, () -> RouteFolder.validate(routes, beans()));
        assertTrue(error.getMessage() != null && error.getMessage().contains(inMessage), error.getMessage());
    }

    @Test
    void hiddenKubeletEntriesAndOtherFilesAreNotRoutes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.camel.yaml"), "- route: {}\n");
        Files.writeString(dir.resolve("notes.txt"), "x");
        // routes/kustomization.yaml generates the routes ConfigMap; it is no route.
        Files.writeString(dir.resolve("kustomization.yaml"), "kind: Kustomization\n");
        Files.createDirectory(dir.resolve("..data"));
        Files.writeString(dir.resolve("..data").resolve("a.camel.yaml"), "- route: {}\n");
        List<String> names = new ArrayList<>();
        for (Resource r : new RouteFolder(dir).read()) {
            names.add(Path.of(r.getLocation().substring("file:".length())).getFileName().toString());
        }
        assertEquals(List.of("a.camel.yaml"), names);
    }

    @Test
    void theFingerprintSeesContentChangesOnly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "one");
        String first = FolderFingerprint.of(List.of(dir));
        assertEquals(first, FolderFingerprint.of(List.of(dir)));
        Files.writeString(dir.resolve("a.yaml"), "two");
        assertNotEquals(first, FolderFingerprint.of(List.of(dir)));
    }

    @Test
    void anEmptyFolderIsAnError(@TempDir Path dir) {
        assertThrows(java.io.IOException.class, () -> new RouteFolder(dir).read());
        assertThrows(java.io.IOException.class, () -> new RouteFolder(dir.resolve("missing")).read());
    }
}
