package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ddbstreamscaler.trigger.TriggerFiles.documents;
import static io.ddbstreamscaler.trigger.TriggerFiles.scaledObject;
import static io.ddbstreamscaler.trigger.TriggerFiles.trigger;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kclLeaseTable} and {@code kclLeaseTableEndpoint}, in a trigger file and in an external scaler's metadata. */
class KclLeaseTableTriggerTest {

    static final Map<String, String> BASE = Map.of("tableName", "orders", "awsRegion", "eu-west-1",
            "identityOwner", "operator");

    @TempDir
    Path dir;

    static Map<String, String> with(String... keyValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>(BASE);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> validRows() {
        return Stream.of(
                // name, metadata, lease table (null: none), endpoint the lease table is read at, counting
                Arguments.of("without it: KEDA's count", with(), null, null, "total"),
                Arguments.of("without it, countClosedShards false: open shards", with("countClosedShards", "false"),
                        null, null, "open"),
                Arguments.of("the consumer's lease table", with("kclLeaseTable", "orders-consumer"),
                        new KclLeaseTable("orders-consumer", null), null, "leases"),
                Arguments.of("it follows awsEndpoint when it has none of its own",
                        with("kclLeaseTable", "orders-consumer", "awsEndpoint", "http://localhost:4566"),
                        new KclLeaseTable("orders-consumer", null), URI.create("http://localhost:4566"), "leases"),
                Arguments.of("an endpoint of its own", with("kclLeaseTable", "orders-consumer", "awsEndpoint",
                                "http://localhost:4566", "kclLeaseTableEndpoint", "http://127.0.0.1:8000"),
                        new KclLeaseTable("orders-consumer", URI.create("http://127.0.0.1:8000")),
                        URI.create("http://127.0.0.1:8000"), "leases"),
                Arguments.of("trimmed, dots and dashes", with("kclLeaseTable", "  my.app-v2_leases "),
                        new KclLeaseTable("my.app-v2_leases", null), null, "leases"),
                Arguments.of("blank counts as absent", with("kclLeaseTable", " "), null, null, "total"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRows")
    void parses(String name, Map<String, String> metadata, KclLeaseTable expected, URI readAt, String counting) {
        LoadResult result = load(metadata);

        assertEquals(List.of(), result.errors());
        TriggerConfig t = result.scaledObjects().get(0).triggers().get(0);
        assertAll(
                () -> assertEquals(expected, t.kclLeaseTable()),
                () -> assertEquals(readAt, expected == null ? null : expected.endpointFor(t)),
                () -> assertEquals(counting, t.counting()),
                () -> assertTrue(result.warnings().stream().noneMatch(w -> w.contains("kclLeaseTable")),
                        result.warnings()::toString));
    }

    static Stream<Arguments> errorRows() {
        String md = "spec.triggers[0].metadata.";
        return Stream.of(
                // name, metadata, field, message
                Arguments.of("not a table name", with("kclLeaseTable", "orders consumer"), md + "kclLeaseTable",
                        "must be a DynamoDB table name (3 to 255 of a-z A-Z 0-9 _ - .), got \"orders consumer\""),
                Arguments.of("too short", with("kclLeaseTable", "ab"), md + "kclLeaseTable",
                        "must be a DynamoDB table name"),
                Arguments.of("an ARN is not a name", with("kclLeaseTable", "arn:aws:dynamodb:eu-west-1:1:table/app"),
                        md + "kclLeaseTable", "must be a DynamoDB table name"),
                Arguments.of("countClosedShards beside it chooses another metric",
                        with("kclLeaseTable", "orders-consumer", "countClosedShards", "true"), md + "countClosedShards",
                        "cannot be set with kclLeaseTable"),
                Arguments.of("an endpoint without a lease table", with("kclLeaseTableEndpoint", "http://localhost:8000"),
                        md + "kclLeaseTableEndpoint", "is set without kclLeaseTable"),
                Arguments.of("an endpoint that is no URL", with("kclLeaseTable", "orders-consumer",
                        "kclLeaseTableEndpoint", "localhost:8000"), md + "kclLeaseTableEndpoint",
                        "must be an http:// or https:// URL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorRows")
    void rejects(String name, Map<String, String> metadata, String field, String message) {
        LoadResult result = load(metadata);

        assertEquals(List.of(), result.scaledObjects());
        assertTrue(result.errors().stream().anyMatch(e -> field.equals(e.field()) && e.message().contains(message)),
                () -> field + ": " + message + " not in " + result.errors());
    }

    @Test
    void theExternalScalersMetadataReadsItTheSameWay() {
        TriggerConfig t = ExternalTriggerMetadata.fromExternalMetadata(Map.of("tableName", "orders", "awsRegion",
                "eu-west-1", "identityOwner", "operator", "kclLeaseTable", "orders-consumer"), "shop", "consumer");

        assertEquals(new KclLeaseTable("orders-consumer", null), t.kclLeaseTable());
    }

    @Test
    void theExternalScalersMetadataGetsTheSameErrors() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(ExternalTriggerMetadata.InvalidMetadataException.class,
                () -> ExternalTriggerMetadata.fromExternalMetadata(Map.of("tableName", "orders", "awsRegion",
                        "eu-west-1", "identityOwner", "operator", "kclLeaseTable", "x"), "shop", "consumer"));

        assertTrue(e.getMessage().contains("metadata.kclLeaseTable: must be a DynamoDB table name"), e::getMessage);
    }

    private LoadResult load(Map<String, String> metadata) {
        Path file = TriggerFiles.write(dir, "triggers.yaml", documents(scaledObject("so", List.of(trigger(metadata, null)))));
        return new TriggerConfigLoader(SecretSource.none(), Map.<String, String>of()::get).load(List.of(file));
    }
}
