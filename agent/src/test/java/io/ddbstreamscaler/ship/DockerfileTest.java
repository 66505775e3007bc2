package io.ddbstreamscaler.ship;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/** The Dockerfile's sources exist, it runs the jar the build makes, and its layout is what k8s/ mounts over. */
class DockerfileTest {

    private static final Path REPO = Manifests.REPO;
    private static final String JAR = "/opt/ddbstream-scaler/ddbstream-scaler.jar";
    private static DockerfileModel dockerfile;
    private static List<String> dockerignore;
    private static String pom;
    private static String agentPom;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = DockerfileModel.read(REPO.resolve("Dockerfile"));
        dockerignore = Files.readAllLines(REPO.resolve(".dockerignore"));
        pom = Files.readString(REPO.resolve("pom.xml"));
        agentPom = Files.readString(REPO.resolve("agent/pom.xml"));
    }

    /** Sources under target/ exist only after `mvn package`: there, the pom must be what makes them. */
    static Stream<Arguments> contextSources() {
        return Stream.of(
                row("build: the parent pom (dependency layer)", "pom.xml", null),
                row("build: the agent's pom", "agent/pom.xml", null),
                row("build: the simulator's pom (the agent's tests name it)", "simulator/pom.xml", null),
                row("build: the agent's sources", "agent/src", null),
                row("build: the simulator's sources", "simulator/src", null),
                row("runtime: the routes baked into the image", "routes/", null),
                row("build: the routes packed into the jar", "routes", null),
                row("prebuilt: the app jar", "target/ddbstream-scaler.jar", "<directory>${agent.target}</directory>"),
                row("prebuilt: the dependencies", "target/lib/",
                        "<outputDirectory>${project.build.directory}/lib</outputDirectory>"));
    }

    private static Arguments row(String name, String source, String madeByPom) {
        return Arguments.of(named(name, source), madeByPom);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contextSources")
    void copySourceExistsAndPassesDockerignore(String source, String madeByPom) {
        assertTrue(dockerfile.contextCopySources().contains(source), "the Dockerfile no longer copies " + source);
        if (madeByPom == null) {
            assertTrue(Files.exists(REPO.resolve(source)), "COPY source missing: " + source);
        } else {
            assertTrue(agentPom.contains(madeByPom) && pom.contains("<agent.target>${repo.dir}/target</agent.target>"),
                    "agent/pom.xml no longer produces " + source + " (" + madeByPom + ")");
        }
        String bare = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        assertTrue(dockerignore.stream().anyMatch(l -> l.equals("!" + bare) || l.startsWith("!" + bare + "/")),
                ".dockerignore keeps " + source + " out of the build context");
    }

    @Test
    void everyContextCopyIsATableRow() {
        assertEquals(contextSources().map(a -> ((org.junit.jupiter.api.Named<?>) a.get()[0]).getPayload())
                        .collect(java.util.stream.Collectors.toSet()),
                java.util.Set.copyOf(dockerfile.contextCopySources()));
    }

    @Test
    void entrypointRunsTheAgentJarAndDefaultsToRun() {
        List<String> entrypoint = dockerfile.execForm("ENTRYPOINT");
        assertEquals("java", entrypoint.get(0));
        assertEquals(List.of("-jar", JAR), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertEquals(List.of("run"), dockerfile.execForm("CMD"));
        assertTrue(entrypoint.contains("-XX:+ExitOnOutOfMemoryError"));
    }

    @Test
    void runtimeLayersDependenciesBeforeTheAppAsANumericUser() {
        DockerfileModel runtime = dockerfile.stage("runtime");
        List<String> copies = runtime.withKeyword("COPY");
        assertTrue(copies.get(0).endsWith("/src/target/lib/ /opt/ddbstream-scaler/lib/"), copies.get(0));
        assertTrue(copies.get(1).endsWith("/src/target/ddbstream-scaler.jar " + JAR), copies.get(1));
        assertTrue(runtime.single("USER").matches("\\d+:\\d+"), "USER must be numeric for runAsNonRoot");
        assertTrue(runtime.env().get("JAVA_TOOL_OPTIONS").contains("-Xmx48m"));
    }

    @Test
    void baseImagesAreBuildArgumentsWithPublicDefaults() {
        List<String> args = dockerfile.withKeyword("ARG");
        assertTrue(args.contains("ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17"), args.toString());
        assertTrue(args.contains("ARG RUNTIME_IMAGE=eclipse-temurin:17-jre"), args.toString());
        assertTrue(dockerfile.withKeyword("FROM").contains("FROM ${RUNTIME_IMAGE} AS runtime"));
    }

    @Test
    void jarMatchesThePomsManifest() {
        assertTrue(agentPom.contains("<mainClass>io.ddbstreamscaler.cli.ScalerCli</mainClass>"));
        assertTrue(agentPom.contains("<finalName>ddbstream-scaler</finalName>"));
        assertTrue(agentPom.contains("<classpathPrefix>lib/</classpathPrefix>"), "the jar finds lib/ beside itself");
    }

    @Test
    void readmeRunsTheSameJar() throws IOException {
        Path readme = REPO.resolve("README.md");
        assertTrue(Files.exists(readme), "README.md");
        Matcher m = Pattern.compile("java\\s+(?:-\\S+\\s+)*-jar\\s+(\\S*ddbstream-scaler\\.jar)").matcher(Files.readString(readme));
        assertTrue(m.find(), "README.md runs the agent with `java -jar`");
        do {
            String jar = m.group(1);
            assertTrue(jar.endsWith("ddbstream-scaler.jar") && (jar.equals(JAR) || jar.startsWith("target/")),
                    "README runs " + jar + ", the image runs " + JAR);
        } while (m.find());
    }
}
