package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code validate} end to end through the CLI: exit codes, stdout (text/json) and stderr. */
class ValidateCommandTest {

    private static final String BAD = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: so, namespace: keda-test}
            spec:
              scaleTargetRef: {name: consumer}
              triggers:
              - type: aws-dynamodb-stream
                metadata: {tableName: t, awsRegion: eu-west-1, identityOwner: operator, shardCount: a}
            """;

    /** Never printed: the example's credentials. */
    private static final List<String> CREDENTIALS = List.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdz");

    @TempDir
    static Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ScalerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Stream<Arguments> rows() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, BAD);
        Path misspelt = dir.resolve("misspelt.yaml");
        Files.writeString(misspelt, BAD.replace("type: aws-dynamodb-stream", "type: aws-dynamodb-steams")
                .replace("shardCount: a", "shardCount: '3'"));
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, BAD.replace("shardCount: a", "sharedCount: '3'"));
        return Stream.of(
                Arguments.of("a misspelt trigger type is an error with the right spelling, exit 2",
                        List.of("validate", "-f", misspelt.toString()), 2, List.of(),
                        List.of("error: " + misspelt + ": ScaledObject keda-test/so: spec.triggers[0].type: unknown trigger"
                                + " type \"aws-dynamodb-steams\": did you mean aws-dynamodb-streams?",
                                "0 valid ScaledObject(s), 1 error(s)")),
                Arguments.of("a misspelt metadata key: a warning naming file, object and key, exit 0",
                        List.of("validate", "-f", typo.toString()), 0, List.of("shardCount 2,"),
                        List.of("warning: " + typo + ": ScaledObject keda-test/so: spec.triggers[0].metadata.sharedCount:"
                                + " is not a key of this trigger and is ignored; did you mean shardCount? (shardCount is"
                                + " not set, so it is 2, its default)", "1 valid ScaledObject(s), 0 error(s)")),
                Arguments.of("--strict: the same warning is an error, exit 2",
                        List.of("validate", "--strict", "-f", typo.toString()), 2, List.of(),
                        List.of("error: " + typo + ": ScaledObject keda-test/so: spec.triggers[0].metadata.sharedCount:",
                                "(an error with --strict)", "0 valid ScaledObject(s), 1 error(s)")),
                Arguments.of("examples folder, text", List.of("validate", "-f", "examples/"), 0,
                        List.of("keda-test/aws-dynamodb-stream-scaledobject trigger 0 aws-dynamodb-stream: table keda-events"
                                + " in ap-northeast-1, shardCount 2, activation 0, metric s0-aws-dynamodb-streams-keda-events"
                                + " (AverageValue), owner pod, countClosedShards true, auth role"
                                + " arn:aws:iam::123456789012:role/keda-dynamodb-streams -> Deployment"
                                + " keda-test/nginx-deployment, replicas 0..100", "auth static +sessionToken"),
                        List.of("warning: " + java.nio.file.Path.of("examples/keda-iam-users.yaml")
                                        + ": ScaledObject keda-test/aws-dynamodb-stream-scaledobject: metadata.name: is also"
                                        + " defined in",
                                "2 valid ScaledObject(s), 0 error(s)")),
                Arguments.of("two files, json", List.of("validate", "-f", "examples/keda-iam-role.yaml",
                        "--filename", "examples/keda-iam-users.yaml", "-o", "json"), 0,
                        List.of("\"method\" : \"role\"", "\"method\" : \"static\""), List.of("0 error(s)")),
                Arguments.of("invalid object", List.of("validate", "-f", bad.toString()), 2, List.of(),
                        List.of("error: " + bad + ": ScaledObject keda-test/so: spec.triggers[0].metadata.shardCount:"
                                + " must be a whole number, got \"a\"", "0 valid ScaledObject(s), 1 error(s)")),
                Arguments.of("invalid object, json prints an empty array", List.of("validate", "-f", bad.toString(),
                        "-o", "json"), 2, List.of("[ ]"), List.of("error: ")),
                Arguments.of("missing path", List.of("validate", "-f", "no/such/dir"), 2, List.of(),
                        List.of("error: no" + java.io.File.separator + "such" + java.io.File.separator
                                + "dir: no such file or folder")),
                Arguments.of("no -f", List.of("validate"), 2, List.of(),
                        List.of("Missing required option: '--filename=PATH'")),
                Arguments.of("bad -o", List.of("validate", "-f", "examples/", "-o", "yaml"), 2, List.of(),
                        List.of("Invalid value for option '--output'")),
                Arguments.of("help", List.of("validate", "--help"), 0, List.of("-f, --filename=PATH", "-o, --output=FORMAT"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void validates(String row, List<String> args, int exitCode, List<String> outContains, List<String> errContains) {
        Run run = run(args.toArray(String[]::new));

        assertEquals(exitCode, run.exitCode(), run::err);
        outContains.forEach(text -> assertTrue(run.out().contains(text), () -> "stdout lacks " + text + ":\n" + run.out()));
        errContains.forEach(text -> assertTrue(run.err().contains(text), () -> "stderr lacks " + text + ":\n" + run.err()));
        CREDENTIALS.forEach(secret -> assertFalse((run.out() + run.err()).contains(secret), secret));
    }

    @Test
    void jsonHasOneObjectPerTriggerWithTheIssuesFields() throws Exception {
        Run run = run("validate", "-f", "examples/keda-iam-users.yaml", "-o", "json");

        List<Map<String, Object>> rows = new ObjectMapper().readValue(run.out(), new TypeReference<>() { });
        assertEquals(1, rows.size());
        Map<String, Object> row = rows.get(0);
        assertEquals(List.of("scaledObject", "file", "triggerIndex", "type", "tableName", "awsRegion", "awsEndpoint",
                "shardCount", "activationShardCount", "identityOwner", "countClosedShards", "metricName", "metricType",
                "auth", "scaleTarget", "minReplicaCount", "maxReplicaCount", "idleReplicaCount", "pollingInterval",
                "cooldownPeriod", "fallback"), new ArrayList<>(row.keySet()));
        assertEquals("keda-test/aws-dynamodb-stream-scaledobject", row.get("scaledObject"));
        assertEquals(Map.of("method", "static", "sessionToken", true, "externalId", false), row.get("auth"));
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "nginx-deployment"), row.get("scaleTarget"));
        assertEquals(Arrays.asList(null, 2, 0, "pod", true, "s0-aws-dynamodb-streams-keda-events", "AverageValue"),
                Arrays.asList(row.get("awsEndpoint"), row.get("shardCount"), row.get("activationShardCount"),
                        row.get("identityOwner"), row.get("countClosedShards"), row.get("metricName"), row.get("metricType")));
        assertEquals(Arrays.asList(0, 100, null, 30, 300, null), Arrays.asList(row.get("minReplicaCount"),
                row.get("maxReplicaCount"), row.get("idleReplicaCount"), row.get("pollingInterval"),
                row.get("cooldownPeriod"), row.get("fallback")));
    }
}
