package io.ddbstreamscaler.camel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RouteFoldersTest {

    @Test
    void theOptionWinsThenTheEnvironment() {
        assertEquals(Path.of("x"), RouteFolders.locate(Path.of("x"), Map.of("SCALER_ROUTES", "/r")::get, null));
        assertEquals(Path.of("/r"), RouteFolders.locate(null, Map.of("SCALER_ROUTES", " /r ")::get, null));
    }

    @Test
    void theImagesFolderThenTheWorkingDirectorysThenTheRepositorysBesideTheBuild(@TempDir Path tmp) throws IOException {
        Path image = tmp.resolve("opt/routes");
        Path here = tmp.resolve("cwd/routes");
        Path repo = tmp.resolve("repo");
        Path jar = Files.createDirectories(repo.resolve("target")).resolve("ddbstream-scaler.jar");
        Files.createDirectories(repo.resolve("routes"));
        Map<String, String> noEnv = Map.of();

        assertEquals(repo.resolve("routes"), RouteFolders.locate(null, noEnv::get, jar, here, image), "run from elsewhere");
        assertEquals(here, RouteFolders.locate(null, noEnv::get, null, here, image), "no jar: ./routes, to be reported missing");
        Files.createDirectories(here);
        assertEquals(here, RouteFolders.locate(null, noEnv::get, jar, here, image), "./routes first");
        Files.createDirectories(image);
        assertEquals(image, RouteFolders.locate(null, noEnv::get, jar, here, image), "the image's folder first");
    }

    @Test
    void theShippedRoutesComeOutOfTheJar(@TempDir Path dir) throws IOException {
        Path out = RouteFolders.extractShipped(dir.resolve("routes"));
        try (var files = Files.list(out)) {
            assertEquals(List.copyOf(RouteFolders.SHIPPED.stream().sorted().toList()),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals(Files.readString(Path.of("routes/scale-loop.camel.yaml")), Files.readString(out.resolve("scale-loop.camel.yaml")));
    }
}
