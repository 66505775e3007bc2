package io.ddbstreamscaler.keda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.bench.keda.KedaBed;
import io.ddbstreamscaler.bench.keda.TwinCase;
import io.ddbstreamscaler.bench.keda.TwinCases;
import io.ddbstreamscaler.bench.keda.TwinManifests;
import io.ddbstreamscaler.bench.keda.TwinsRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KEDA v2.20.2 with its own {@code aws-dynamodb-streams} scaler and the HPA it creates, and the agent (its built jar,
 * as the keda-external overlay's ServiceAccount), scaling twin Deployments from the same streams with the same
 * ScaledObject settings, all cases at once in one run ({@link TwinCases}): the agent's sequence of replica counts must
 * equal KEDA+HPA's step for step. Timing aside: each step waits for both twins, and when each count was reached is
 * for the bench (versus-keda), never asserted here. Where the twins differ (the agent on purpose, or KEDA against its own
 * documentation), the row names the difference and the two sequences it leads to.
 */
@ExtendWith(KedaBedExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KedaConformanceIT {

    static TwinsRun.Result run;
    static KedaBed bed;

    @BeforeAll
    void runAllCasesSideBySide(KedaBed kedaBed) throws Exception {
        bed = kedaBed;
        var twins = new TwinsRun(bed, KedaBedExtension.agentJar(),
                Files.createDirectories(KedaBedExtension.work().resolve("conformance")), System.out);
        run = twins.run(TwinCases.all());
    }

    @AfterAll
    void cleanUp() throws IOException {
        if (bed != null) {
            new TwinsRun(bed, KedaBedExtension.agentJar(), KedaBedExtension.work(), System.out)
                    .cleanUp(TwinCases.all());
        }
    }

    static Stream<Arguments> sameAsKeda() {
        // case, the replica counts both twins go through, in order (each distinct count once)
        return Stream.of(
                Arguments.of("spec-iam-users", List.of(1, 2, 4)),
                Arguments.of("spec-iam-role", List.of(1, 2, 4)),
                Arguments.of("scale-up-behavior", List.of(1, 2, 3, 4, 5, 6, 7)),
                Arguments.of("scale-down-behavior", List.of(1, 3, 7, 6, 5, 4)),
                Arguments.of("activation-to-zero", List.of(1, 0, 1, 3, 0)),
                Arguments.of("fallback-stream-errors", List.of(1, 2, 5, 2)),
                Arguments.of("paused-replicas", List.of(1, 2)),
                Arguments.of("min-max-bounds", List.of(1, 2, 3, 4)),
                Arguments.of("metric-type-value", List.of(1, 2, 4, 6)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sameAsKeda")
    void theAgentScalesStepForStepAsKedaAndTheHpa(String name, List<Integer> expected) {
        TwinsRun.CaseOutcome o = run.outcome(name);
        assertNull(o.twinCase().difference(), "a case the twins must agree on");
        assertAll(
                () -> assertNull(o.failure(), o.failure()),
                () -> assertEquals(expected, o.kedaSequence(), "KEDA+HPA"),
                () -> assertEquals(expected, o.agentSequence(), "the agent"),
                () -> assertEquals(o.kedaSequence(), o.agentSequence(), "the agent against KEDA+HPA"));
    }

    static Stream<Arguments> namedDifferences() {
        // case, the difference, the agent's counts, KEDA+HPA's counts
        return Stream.of(
                Arguments.of("closed-shards-not-counted", "countClosedShards: \"false\"", List.of(1, 2, 3),
                        List.of(1, 2, 4, 3)),
                Arguments.of("sidecar-guard", "the sidecar guard", List.of(1, 3), List.of(1, 0, 1, 3)),
                Arguments.of("shard-count-zero", "stricter validation", List.of(1), List.of(1)),
                Arguments.of("fallback-outage", "KEDA's fallback with AWS unreachable", List.of(1, 2, 5, 2),
                        List.of(1, 2)));
    }

    @ParameterizedTest(name = "{0} ({1}): agent {2}, KEDA {3}")
    @MethodSource("namedDifferences")
    void theTwinsDifferOnlyWhereTheCaseSaysWhy(String name, String difference, List<Integer> agent, List<Integer> keda) {
        TwinsRun.CaseOutcome o = run.outcome(name);
        assertAll(
                () -> assertTrue(o.twinCase().difference().startsWith(difference),
                        o.twinCase().difference()),
                () -> assertNull(o.failure(), o.failure()),
                () -> assertEquals(keda, o.kedaSequence(), "KEDA+HPA"),
                () -> assertEquals(agent, o.agentSequence(), "the agent"));
    }

    @Test
    void shardCountZeroIsRefusedByTheAgentNamingTheFieldAndByTheApiServerInKedasHpa() throws Exception {
        TwinCase c = TwinCases.named("shard-count-zero");
        String agentError = run.agentLog().stream().filter(l -> l.contains("ScaledObject keda-test/" + c.name()))
                .filter(l -> l.contains("metadata.shardCount")).findFirst().orElse(null);
        JsonNode ready = readyCondition(c);

        assertAll(
                () -> assertNotEquals(null, agentError, "the agent names the field when it loads the file"),
                () -> assertEquals("False", ready.path("status").asText(), ready.toString()),
                () -> assertTrue(ready.path("message").asText().contains("averageValue"), ready.toString()));
    }

    @Test
    void theSpecsExamplesAsWrittenAreRefusedByKedaForTheirTriggerType() throws Exception {
        // The spec's examples say type: aws-dynamodb-stream; KEDA knows only aws-dynamodb-streams (the agent takes
        // both), so the twins above give KEDA the plural. Applied as written, KEDA builds no scaler for them.
        String ns = "spec-as-written";
        String example = Files.readString(KedaBedExtension.REPO.resolve("examples/keda-iam-users.yaml"))
                .replace("namespace: keda-test", "namespace: " + ns);
        bed.cluster().apply(TwinManifests.namespace(ns));
        bed.cluster().apply(TwinManifests.deployment(ns, "nginx-deployment") + "---\n" + example);

        await().atMost(Duration.ofMinutes(2)).until(() -> readyCondition(ns, "aws-dynamodb-stream-scaledobject")
                .path("status").asText().equals("False"));
        JsonNode ready = readyCondition(ns, "aws-dynamodb-stream-scaledobject");
        String operatorLog = Files.readString(bed.cluster().state().resolve("logs/keda-operator.log"));
        assertAll(
                () -> assertTrue(operatorLog.contains("no scaler found for type: aws-dynamodb-stream\""), ready.toString()),
                () -> assertEquals("False", ready.path("status").asText(), ready.toString()));
        bed.cluster().kubectl("delete", "namespace", ns, "--wait=false");
    }

    @Test
    void theSidecarGuardIsWhatKeptTheAgentsTwinAtOne() {
        TwinCase c = TwinCases.named("sidecar-guard");
        assertTrue(run.agentLog().stream().anyMatch(l -> l.contains("decision") && l.contains(c.name())
                        && l.contains("reason=SidecarFloor")),
                "a decision line with reason SidecarFloor for " + c.name());
    }

    @Test
    void everyRequestTheAgentMadeWasAllowedByItsRole() throws IOException {
        String user = "system:serviceaccount:" + TwinManifests.AGENT_NAMESPACE + ":ddbstream-scaler";
        ObjectMapper json = new ObjectMapper();
        long requests = 0;
        List<String> refused = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(bed.cluster().auditLog())) {
            if (!line.contains(user)) {
                continue;
            }
            JsonNode e = json.readTree(line);
            if (!"ResponseComplete".equals(e.path("stage").asText()) || !user.equals(e.at("/user/username").asText())) {
                continue;
            }
            requests++;
            if (e.at("/responseStatus/code").asInt() == 403) {
                refused.add(e.path("verb").asText() + " " + e.path("requestURI").asText());
            }
        }
        long counted = requests;
        assertAll(
                () -> assertTrue(counted > 0, "the agent's requests are in the audit log under " + user),
                () -> assertEquals(List.of(), refused, "requests the agent's Role refused"));
    }

    private static JsonNode readyCondition(TwinCase c) throws IOException {
        return readyCondition(c.kedaNamespace(), TwinManifests.kedaScaledObjectName(c));
    }

    private static JsonNode readyCondition(String namespace, String scaledObject) throws IOException {
        JsonNode so = new ObjectMapper().readTree(bed.cluster().kubectl("get", "scaledobject", "-n", namespace,
                scaledObject, "-o", "json"));
        for (JsonNode condition : so.at("/status/conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return new ObjectMapper().createObjectNode();
    }
}
