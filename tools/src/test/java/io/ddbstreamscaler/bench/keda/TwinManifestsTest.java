package io.ddbstreamscaler.bench.keda;

import io.ddbstreamscaler.trigger.ConfigError;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both sides of every side-by-side case from the same settings: the agent's trigger file loads through the agent's own
 * loader as the case means it (or fails on the field the case is about), and KEDA's side differs only in target,
 * namespace, key and, for the spec's examples, the trigger type KEDA knows.
 */
class TwinManifestsTest {

    static final URI ENDPOINT = URI.create("http://127.0.0.1:40001");
    static final TwinManifests MANIFESTS = new TwinManifests(Path.of("").toAbsolutePath());

    static Stream<Arguments> cases() {
        // case, pollingInterval, shardCount the agent loads (0: refused), the agent's access key
        return Stream.of(
                Arguments.of("spec-iam-users", 30, 2, TwinManifests.SPEC_EXAMPLE_KEY),
                Arguments.of("spec-iam-role", 30, 2, null),
                Arguments.of("scale-up-behavior", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("scale-down-behavior", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("activation-to-zero", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("fallback-stream-errors", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("paused-replicas", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("min-max-bounds", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("metric-type-value", 5, 2, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("closed-shards-not-counted", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("sidecar-guard", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("fallback-outage", 5, 1, TwinManifests.AGENT_TWIN_KEY),
                Arguments.of("shard-count-zero", 5, 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theAgentsSideLoadsAsTheCaseMeansIt(String name, int interval, int shardCount, String key, @TempDir Path dir)
            throws Exception {
        TwinCase c = TwinCases.named(name);
        Files.writeString(dir.resolve(name + ".yaml"), MANIFESTS.forAgent(c, ENDPOINT, null));

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), k -> null).load(List.of(dir));

        if (shardCount == 0) {
            assertEquals(List.of("spec.triggers[0].metadata.shardCount"),
                    result.errors().stream().map(ConfigError::field).toList());
            return;
        }
        ScaledObjectConfig so = result.scaledObjects().get(0);
        assertAll(
                () -> assertEquals(List.of(), result.errors()),
                () -> assertEquals(name, so.name()),
                () -> assertEquals(TwinManifests.AGENT_NAMESPACE, so.namespace()),
                () -> assertEquals(c.agentTarget(), so.scaleTarget().name()),
                () -> assertEquals(interval, so.pollingIntervalSeconds()),
                () -> assertEquals(shardCount, so.triggers().get(0).shardCount()),
                () -> assertEquals(ENDPOINT, so.triggers().get(0).awsEndpoint()),
                () -> assertEquals(key, so.triggers().get(0).auth().accessKeyId()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kedasSideDiffersOnlyInTargetNamespaceKeyAndTriggerType(String name, int interval, int shardCount, String key)
            throws Exception {
        TwinCase c = TwinCases.named(name);
        String keda = MANIFESTS.forKeda(c, ENDPOINT, null);
        String agent = MANIFESTS.forAgent(c, ENDPOINT, null);

        assertAll(
                () -> assertTrue(keda.contains("type: aws-dynamodb-streams\n"), "KEDA's spelling of the type"),
                () -> assertFalse(keda.contains("namespace: " + TwinManifests.AGENT_NAMESPACE), keda),
                () -> assertTrue(keda.contains("namespace: " + c.kedaNamespace()), keda),
                () -> assertTrue(keda.contains("name: " + c.kedaTarget() + "\n"), keda),
                () -> assertTrue(keda.contains("awsEndpoint: " + ENDPOINT), keda),
                () -> assertEquals(count(agent, "\n"), count(keda, "\n"), "the same objects, line for line"),
                () -> assertFalse(key != null && (withoutComments(keda).contains(key) || keda.contains(base64(key))),
                        "KEDA's twin signs with keys of its own"));
    }

    static Stream<Arguments> pauses() {
        return Stream.of(Arguments.of("paused-replicas", 2));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("pauses")
    void aPauseIsTheAnnotationOnBothSides(String name, int replicas, @TempDir Path dir) throws Exception {
        TwinCase c = TwinCases.named(name);
        Files.writeString(dir.resolve(name + ".yaml"), MANIFESTS.forAgent(c, ENDPOINT, replicas));

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), k -> null).load(List.of(dir));

        assertEquals(replicas, result.scaledObjects().get(0).scaling().pausedReplicas());
        assertTrue(MANIFESTS.forKeda(c, ENDPOINT, replicas)
                .contains("autoscaling.keda.sh/paused-replicas: \"" + replicas + "\""));
    }

    /** The spec's example names AWS's documented keys in a comment: only what KEDA reads counts. */
    private static String withoutComments(String yaml) {
        return yaml.lines().filter(line -> !line.stripLeading().startsWith("#")).collect(Collectors.joining("\n"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int count(String text, String what) {
        return text.split(what, -1).length - 1;
    }
}
