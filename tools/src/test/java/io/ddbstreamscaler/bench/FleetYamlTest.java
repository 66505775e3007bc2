package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.policy.HpaScalingPolicy;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The generated fleet loads through the agent's own loader, every ScaledObject as the scenario means it. */
class FleetYamlTest {

    static final URI ENDPOINT = URI.create("http://127.0.0.1:4566");

    static Stream<Arguments> fleets() {
        return Stream.of(
                // name, count, pollingInterval, shardCount, fastScaleUp
                Arguments.of("reaction: one, 5 s, fast scale-up", 1, 5, 1, true),
                Arguments.of("footprint: one, 5 s, HPA defaults", 1, 5, 2, false),
                Arguments.of("scale: 1,000 at 30 s", 1000, 30, 2, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fleets")
    void loadsEveryScaledObjectWithoutError(String name, int count, int interval, int shardCount, boolean fast,
                                            @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("fleet.yaml"), new FleetYaml(count, interval, shardCount, fast, ENDPOINT).render());

        LoadResult result = new TriggerConfigLoader(SecretSource.none(), k -> null).load(List.of(dir));

        List<ScaledObjectConfig> objects = result.scaledObjects().stream()
                .sorted(Comparator.comparing(ScaledObjectConfig::name)).toList();
        ScaledObjectConfig last = objects.get(objects.size() - 1);
        assertAll(
                () -> assertEquals(List.of(), result.errors()),
                () -> assertEquals(count, objects.size()),
                () -> assertEquals(FleetYaml.scaledObject(count), last.name()),
                () -> assertEquals(FleetYaml.NAMESPACE, last.namespace()),
                () -> assertEquals(FleetYaml.deployment(count), last.scaleTarget().name()),
                () -> assertEquals(interval, last.pollingIntervalSeconds()),
                () -> assertEquals(FleetYaml.table(count), last.triggers().get(0).tableName()),
                () -> assertEquals(shardCount, last.triggers().get(0).shardCount()),
                () -> assertEquals(ENDPOINT, last.triggers().get(0).awsEndpoint()),
                () -> assertEquals(FleetYaml.ACCESS_KEY_ID, last.triggers().get(0).auth().accessKeyId()),
                () -> {
                    if (fast) {
                        assertEquals(List.of(new HpaScalingPolicy(HpaScalingPolicy.Type.PODS, 100, 1)),
                                last.scaling().behavior().scaleUp().policies());
                    } else {
                        assertNull(last.scaling().behavior());
                    }
                });
    }
}
