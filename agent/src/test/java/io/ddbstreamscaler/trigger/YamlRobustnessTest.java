package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and broken YAML: each becomes an error for its file or document, and never hides a good object. */
class YamlRobustnessTest {

    static String scaledObject(String name) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %s, namespace: keda-test}
                spec:
                  scaleTargetRef: {name: consumer}
                  triggers:
                  - type: aws-dynamodb-streams
                    metadata: {tableName: t, awsRegion: eu-west-1, identityOwner: operator}
                """.formatted(name);
    }

    @TempDir
    Path dir;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> badDocuments() {
        String laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n" + "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n" + "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        StringBuilder deepBlock = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            deepBlock.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        deepBlock.append(" ".repeat(100)).append("leaf\n");
        return Stream.of(
                Arguments.of("syntax error", utf8("kind: [unclosed\n"), "is not valid YAML"),
                Arguments.of("billion laughs", utf8(laughs), "is not valid YAML: Number of aliases for non-scalar nodes exceeds"),
                Arguments.of("deep flow nesting", utf8("a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n"),
                        "nests deeper than 64 levels"),
                Arguments.of("deep block nesting", utf8(deepBlock.toString()), "nests deeper than 64 levels"),
                Arguments.of("recursive alias", utf8("a: &r [1, *r]\n"), "contains a recursive alias"),
                Arguments.of("top level list", utf8("- kind: ScaledObject\n"), "must be a mapping (a Kubernetes object), got a list"),
                Arguments.of("duplicate key", utf8("kind: Secret\nkind: Secret\n"), "found duplicate key kind"),
                Arguments.of("tab indentation", utf8("kind: Secret\nmetadata:\n\tname: x\n"), "is not valid YAML"),
                Arguments.of("no kind", utf8("apiVersion: v1\nmetadata: {name: x}\n"), "is required (not a Kubernetes object)"),
                Arguments.of("control character", utf8("kind: Sec\u0007ret\n"), "is not valid YAML"),
                Arguments.of("metadata not a mapping", utf8("apiVersion: v1\nkind: Secret\nmetadata: [x]\n"),
                        "must be a mapping, got a list"),
                Arguments.of("ScaledObject without name", utf8("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec: {}\n"),
                        "is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void badDocumentBetweenGoodOnesIsReportedAlone(String row, byte[] bad, String message) throws Exception {
        Path file = dir.resolve("mixed.yaml");
        byte[] before = utf8(scaledObject("first") + "---\n");
        byte[] after = utf8("\n---\n" + scaledObject("second"));
        Files.write(file, concat(before, bad, after));

        LoadResult result = load(file);

        assertEquals(List.of("keda-test/first", "keda-test/second"),
                result.scaledObjects().stream().map(ScaledObjectConfig::id).toList());
        assertEquals(1, result.errors().size(), () -> result.errors().toString());
        ConfigError error = result.errors().get(0);
        assertEquals(file, error.file());
        assertTrue(error.object().startsWith("document 2 (line 9)"), error.object());
        assertTrue(error.message().contains(message), error.message());
    }

    static Stream<Arguments> badFiles() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        return Stream.of(
                Arguments.of("binary garbage", garbage, "is not UTF-8 text (binary data?)"),
                Arguments.of("NUL bytes in UTF-8", utf8("kind: Secret\u0000\n"), "contains NUL characters"),
                Arguments.of("over the size limit", new byte[(int) YamlDocuments.MAX_FILE_BYTES + 1], "more than the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsReportedAndOtherFilesStillLoad(String row, byte[] content, String message) throws Exception {
        Files.write(dir.resolve("bad.yaml"), content);
        Files.writeString(dir.resolve("good.yaml"), scaledObject("good"));

        LoadResult result = load(dir);

        assertEquals(List.of("keda-test/good"), result.scaledObjects().stream().map(ScaledObjectConfig::id).toList());
        assertEquals(1, result.errors().size(), () -> result.errors().toString());
        assertEquals(dir.resolve("bad.yaml"), result.errors().get(0).file());
        assertTrue(result.errors().get(0).message().contains(message), result.errors().get(0).message());
    }

    @Test
    void syntaxErrorsNeverQuoteTheOffendingLine() throws Exception {
        Path file = dir.resolve("secret.yaml");
        Files.writeString(file, "apiVersion: v1\nkind: Secret\nstringData:\n  key: \"sup3rs3cret\n  other: : x\n");

        LoadResult result = load(file);

        assertEquals(1, result.errors().size());
        assertTrue(!result.errors().get(0).format().contains("sup3rs3cret"), result.errors().get(0).format());
    }

    /** A small fuzz: random edits of a real example never make load throw, and every error names its file. */
    @Test
    void randomMutationsNeverEscapeAsExceptions() throws Exception {
        String example = Files.readString(Path.of("examples/keda-iam-users.yaml"));
        Random random = new Random(7);
        String alphabet = ":-[]{}&*!|>'\"#%@`\t\n ,?0a";
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder(example);
            for (int edit = 0; edit < 1 + random.nextInt(8); edit++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            Path file = dir.resolve("fuzz-" + round + ".yaml");
            Files.writeString(file, text);
            LoadResult result = assertDoesNotThrow(() -> load(file), "round " + round);
            result.errors().forEach(error -> assertNotNull(error.file(), error.format()));
            result.errors().forEach(error -> assertTrue(!error.format().contains("wJalrXUtnFEMI"), error.format()));
        }
    }

    private static LoadResult load(Path path) {
        return new TriggerConfigLoader(SecretSource.none(), name -> null).load(List.of(path));
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
