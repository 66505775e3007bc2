package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The loader's errors as {@code status} lists them: one entry per file and object, in the order found, each error
 * without the file and the object it is listed under, and whether an earlier version of a ScaledObject keeps running.
 */
class FailedToLoadTest {

    static final Path ORDERS = Path.of("triggers/orders.yaml");
    static final Path LEDGER = Path.of("triggers/ledger.yaml");

    @Test
    void errorsAreGroupedByFileAndObjectInTheOrderFound() {
        List<ConfigError> errors = List.of(
                new ConfigError(ORDERS, "ScaledObject shop/orders", 0, "spec.triggers[0].metadata.shardCount",
                        "must be at least 1, got 0"),
                new ConfigError(LEDGER, "document 2 (line 9)", null, null, "is not valid YAML"),
                new ConfigError(ORDERS, "ScaledObject shop/orders", null, "spec.maxReplicaCount", "must be a number"),
                new ConfigError(ORDERS, "TriggerAuthentication shop/keys", null, "spec", "is required"),
                new ConfigError(null, null, null, null, "two ScaledObjects scale Deployment shop/app"));

        List<FailedToLoad> failed = FailedToLoad.of(errors, Set.of());

        assertEquals(List.of(
                new FailedToLoad(ORDERS, "ScaledObject shop/orders", List.of(
                        "spec.triggers[0].metadata.shardCount: must be at least 1, got 0",
                        "spec.maxReplicaCount: must be a number"), false),
                new FailedToLoad(LEDGER, "document 2 (line 9)", List.of("is not valid YAML"), false),
                new FailedToLoad(ORDERS, "TriggerAuthentication shop/keys", List.of("spec: is required"), false),
                new FailedToLoad(null, null, List.of("two ScaledObjects scale Deployment shop/app"), false)), failed);
    }

    @Test
    void theSameObjectNameInTwoFilesIsTwoEntries() {
        List<FailedToLoad> failed = FailedToLoad.of(List.of(
                new ConfigError(ORDERS, "ScaledObject shop/orders", null, "spec", "is required"),
                new ConfigError(LEDGER, "ScaledObject shop/orders", null, "spec", "is required")), Set.of());

        assertEquals(List.of(ORDERS, LEDGER), failed.stream().map(FailedToLoad::file).toList());
    }

    @Test
    void onlyAScaledObjectWhoseIdRunsKeepsItsLastGoodVersion() {
        List<FailedToLoad> failed = FailedToLoad.of(List.of(
                new ConfigError(ORDERS, "ScaledObject shop/orders", null, "spec", "is required"),
                new ConfigError(ORDERS, "ScaledObject shop/refunds", null, "spec", "is required"),
                // a TriggerAuthentication of the same namespace/name as a running ScaledObject is not that ScaledObject
                new ConfigError(ORDERS, "TriggerAuthentication shop/orders", null, "spec", "is required"),
                new ConfigError(ORDERS, null, null, null, "cannot be read")), Set.of("shop/orders"));

        assertEquals(List.of(true, false, false, false), failed.stream().map(FailedToLoad::lastGoodRunning).toList());
        assertEquals(List.of("shop/orders", "shop/refunds"), failed.stream().map(FailedToLoad::scaledObjectId)
                .filter(id -> id != null).toList());
        assertNull(failed.get(2).scaledObjectId());
        assertNull(failed.get(3).scaledObjectId());
    }

    @Test
    void theSummaryIsOneLineWithTheFirstErrorAndHowManyMore() {
        assertEquals("triggers/orders.yaml: ScaledObject shop/orders: spec: is required",
                new FailedToLoad(ORDERS, "ScaledObject shop/orders", List.of("spec: is required"), false).summary());
        assertEquals("triggers/orders.yaml: ScaledObject shop/orders: spec: is required (and 1 more)",
                new FailedToLoad(ORDERS, "ScaledObject shop/orders", List.of("spec: is required", "b"), false).summary());
        assertEquals("triggers/orders.yaml: a: is wrong (and 2 more)",
                new FailedToLoad(ORDERS, null, List.of("a: is wrong", "b", "c"), false).summary());
        assertEquals("two ScaledObjects scale Deployment shop/app",
                new FailedToLoad(null, null, List.of("two ScaledObjects scale Deployment shop/app"), false).summary());
        assertEquals("triggers/orders.yaml: does not load", new FailedToLoad(ORDERS, null, List.of(), false).summary());
    }

    @Test
    void theErrorsAreACopyThatCannotChange() {
        List<String> errors = new java.util.ArrayList<>(List.of("spec: is required"));
        FailedToLoad failed = new FailedToLoad(ORDERS, "ScaledObject shop/orders", errors, false);
        errors.add("later");

        assertEquals(List.of("spec: is required"), failed.errors());
        assertThrows(UnsupportedOperationException.class, () -> failed.errors().add("x"));
    }
}
