package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A warning is a line naming the file, the object and the field; with --strict it is that object's error instead. */
class WarningsTest {

    static final Path FILE = Path.of("triggers/orders.yaml");

    @Test
    void withoutStrictAWarningIsALineAndTheObjectHasNoError() {
        Warnings warnings = new Warnings(false);
        List<String> problems = new ArrayList<>();

        warnings.about(FILE, "ScaledObject shop/orders", (field, message) -> problems.add(field + " " + message))
                .add("spec.triggers[0].metadata.sharedCount", "is not a metadata key (did you mean \"shardCount\"?)");
        List<ConfigError> errors = new ArrayList<>();
        warnings.add(new ConfigError(FILE, "document 2 (line 9)", 1, null, "is a ConfigMap: skipped"), errors);

        assertFalse(warnings.strict());
        assertEquals(List.of(), problems);
        assertEquals(List.of(), errors);
        assertEquals(List.of("triggers/orders.yaml: ScaledObject shop/orders: spec.triggers[0].metadata.sharedCount: "
                + "is not a metadata key (did you mean \"shardCount\"?)",
                "triggers/orders.yaml: document 2 (line 9): is a ConfigMap: skipped"), warnings.lines());
    }

    @Test
    void withStrictAWarningIsTheObjectsErrorAndSaysWhy() {
        Warnings warnings = new Warnings(true);
        List<String> problems = new ArrayList<>();

        warnings.about(FILE, "ScaledObject shop/orders", (field, message) -> problems.add(field + " " + message))
                .add("spec.triggers[0].metadata.sharedCount", "is not a metadata key");
        List<ConfigError> errors = new ArrayList<>();
        warnings.add(new ConfigError(FILE, "document 2 (line 9)", 1, "kind", "is a ConfigMap: skipped"), errors);

        assertTrue(warnings.strict());
        assertEquals(List.of("spec.triggers[0].metadata.sharedCount is not a metadata key (an error with --strict)"),
                problems);
        assertEquals(List.of(new ConfigError(FILE, "document 2 (line 9)", 1, "kind",
                "is a ConfigMap: skipped (an error with --strict)")), errors);
        assertEquals(List.of(), warnings.lines());
    }

    @Test
    void theLinesAreACopy() {
        Warnings warnings = new Warnings(false);
        warnings.add(new ConfigError(FILE, null, null, null, "first"), new ArrayList<>());
        List<String> before = warnings.lines();
        warnings.add(new ConfigError(FILE, null, null, null, "second"), new ArrayList<>());

        assertEquals(List.of("triggers/orders.yaml: first"), before);
        assertEquals(2, warnings.lines().size());
    }
}
