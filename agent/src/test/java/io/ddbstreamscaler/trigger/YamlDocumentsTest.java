package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The defensive reader, each of its answers whole: which documents it returns with which index and line, the exact
 * error of a document or a file, and the size and depth limits at their edges (the limit itself reads, one more does
 * not). {@code YamlRobustnessTest} shows the same errors through the loader, between good documents.
 */
class YamlDocumentsTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Each document as "index line root-or-error". */
    private static List<String> described(List<YamlDocument> documents) {
        return documents.stream().map(d -> d.index() + " " + d.line() + " " + (d.error() == null ? d.root() : "error: " + d.error()))
                .toList();
    }

    @Test
    void documentsAreNumberedAmongTheNonEmptyOnesWithTheLineTheyStartOn() throws IOException {
        Path file = write("three.yaml", "# header\na: 1\n---\n# only a comment\n---\nnull\n---\n~\n---\n\nb: [2]\n...\nc: {d: 3}\n");

        List<YamlDocument> documents = YamlDocuments.read(file);

        assertEquals(List.of("1 1 {a=1}", "2 9 {b=[2]}", "3 13 {c={d=3}}"), described(documents));
        assertEquals(List.of(file, file, file), documents.stream().map(YamlDocument::file).toList());
        assertEquals("document 2 (line 9)", documents.get(1).label());
    }

    static Stream<Arguments> badDocuments() {
        return Stream.of(
                Arguments.of("a syntax error, with its line in the file", "a: 1\n---\nb: 2\nkind: [unclosed\n",
                        "2 2 error: is not valid YAML: expected ',' or ']', but got <stream end> at line 5, column 1"),
                Arguments.of("a scalar", "a: 1\n---\njust text\n", "2 2 error: must be a mapping (a Kubernetes object), got text"),
                Arguments.of("a number", "a: 1\n---\n42\n", "2 2 error: must be a mapping (a Kubernetes object), got integer"),
                Arguments.of("a list", "a: 1\n---\n- x\n", "2 2 error: must be a mapping (a Kubernetes object), got a list"),
                Arguments.of("a tag that does not match its node", "a: 1\n--- !!map\n- x\n",
                        "2 2 error: is not valid YAML: a node does not match its tag (such as !!map on a list)"),
                Arguments.of("too many aliases", "a: 1\n---\n" + aliases(51),
                        "2 2 error: is not valid YAML: Number of aliases for non-scalar nodes exceeds the specified max=50"),
                Arguments.of("a duplicate key", "a: 1\n---\nkind: Secret\nkind: Secret\n",
                        "2 2 error: is not valid YAML: found duplicate key kind at line 4, column 1"),
                Arguments.of("a recursive alias", "a: 1\n---\nb: &r [1, *r]\n", "2 2 error: contains a recursive alias"),
                Arguments.of("flow nesting one level past the limit", "a: 1\n---\n" + flow(YamlDocuments.MAX_DEPTH + 1),
                        "2 2 error: nests deeper than 64 levels"),
                Arguments.of("block nesting one level past the limit", "a: 1\n---\n" + block(YamlDocuments.MAX_DEPTH - 1),
                        "2 2 error: nests deeper than 64 levels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void aBadDocumentIsAnErrorOfItsOwnAfterTheGoodOne(String row, String text, String expected) throws IOException {
        assertEquals(List.of("1 1 {a=1}", expected), described(YamlDocuments.read(write("bad.yaml", text))));
    }

    static Stream<Arguments> atTheLimit() {
        return Stream.of(
                Arguments.of("flow nesting at the limit", flow(YamlDocuments.MAX_DEPTH)),
                Arguments.of("block nesting at the limit", block(YamlDocuments.MAX_DEPTH - 2)),
                Arguments.of("as many aliases as allowed", aliases(YamlDocuments.MAX_ALIASES)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("atTheLimit")
    void theLimitItselfReads(String row, String text) throws IOException {
        List<YamlDocument> documents = YamlDocuments.read(write("limit.yaml", text));
        assertEquals(1, documents.size());
        assertEquals(null, documents.get(0).error());
    }

    @Test
    void aDocumentOfTheApiServersLimitReadsAndOneCharacterMoreDoesNot() throws IOException {
        // The second document is its "---" line and the mapping: 4 + 3 + value + 1 characters.
        String prefix = "a: 1\n";
        String atLimit = "---\nv: " + "x".repeat(YamlDocuments.MAX_DOCUMENT_CHARS - 8) + "\n";
        assertEquals(YamlDocuments.MAX_DOCUMENT_CHARS, atLimit.length());

        List<YamlDocument> read = YamlDocuments.read(write("limit.yaml", prefix + atLimit));
        assertEquals(2, read.size());
        assertEquals(null, read.get(1).error());
        assertEquals(YamlDocuments.MAX_DOCUMENT_CHARS - 8, ((String) read.get(1).root().get("v")).length());

        String over = "---\nv: " + "x".repeat(YamlDocuments.MAX_DOCUMENT_CHARS - 7) + "\n";
        assertEquals(List.of("1 1 {a=1}", "2 2 error: is 3145729 characters, more than the 3145728 bytes the Kubernetes"
                        + " API server accepts in one request: not read"),
                described(YamlDocuments.read(write("over.yaml", prefix + over))));
    }

    @Test
    void aFileOfTheSizeLimitIsReadAndOneByteMoreIsNot() throws IOException {
        // Blank: a file of the limit holds no document and costs no parse.
        byte[] blank = new byte[(int) YamlDocuments.MAX_FILE_BYTES];
        Arrays.fill(blank, (byte) ' ');
        Path atLimit = Files.write(dir.resolve("at-limit.yaml"), blank);
        assertEquals(List.of(), YamlDocuments.read(atLimit));

        Path over = Files.write(dir.resolve("over.yaml"), Arrays.copyOf(blank, blank.length + 1));
        assertEquals(List.of("0 1 error: is 16777217 bytes, more than the limit of 16777216"),
                described(YamlDocuments.read(over)));
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("not UTF-8", new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'},
                        "0 1 error: is not UTF-8 text (binary data?)"),
                Arguments.of("a NUL character", "a: 1\n---\nb: \u0000\n".getBytes(StandardCharsets.UTF_8),
                        "0 1 error: contains NUL characters (binary data?)"),
                Arguments.of("a NUL as the first character", "\u0000a: 1\n".getBytes(StandardCharsets.UTF_8),
                        "0 1 error: contains NUL characters (binary data?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsOneErrorForTheWholeFile(String row, byte[] content, String expected) throws IOException {
        assertEquals(List.of(expected), described(YamlDocuments.read(Files.write(dir.resolve("bad.yaml"), content))));
    }

    @Test
    void aFileThatCannotBeReadSaysWhy() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.yaml"));
        assertEquals(List.of("0 1 error: cannot be read: IOException Is a directory"), described(YamlDocuments.read(folder)));
        assertEquals(List.of("0 1 error: cannot be read: NoSuchFileException " + dir.resolve("gone.yaml")),
                described(YamlDocuments.read(dir.resolve("gone.yaml"))));
    }

    @Test
    void aByteOrderMarkIsNoPartOfTheFirstKey() throws IOException {
        List<YamlDocument> documents = YamlDocuments.read(write("bom.yaml", "\uFEFFkind: Secret\n"));
        assertEquals(List.of("1 1 {kind=Secret}"), described(documents));
        assertEquals(Map.of("kind", "Secret"), documents.get(0).root());
    }

    @Test
    void aByteOrderMarkBeforeADirectiveLeavesTheDirectiveWithItsDocument() throws IOException {
        // Kept, the mark would make the directive line content of a document of its own, split off at "---".
        List<YamlDocument> documents = YamlDocuments.read(write("bom.yaml", "\uFEFF%YAML 1.2\n---\nkind: Secret\n"));
        assertEquals(List.of("1 1 {kind=Secret}"), described(documents));
    }

    @Test
    void theCoreSchemaReadsNumbersAndBooleansAndNoYamlOneOneWords() throws IOException {
        Map<?, ?> root = YamlDocuments.read(write("types.yaml", "n: 12\nb: true\nyes: no\nf: 1.5\n")).get(0).root();
        assertEquals(Map.of("n", 12, "b", true, "yes", "no", "f", 1.5), root);
    }

    private static String flow(int depth) {
        return "{a: " + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}\n";
    }

    /** A mapping nesting {@code levels} mappings below the root, the last holding a scalar: levels + 2 tree levels. */
    private static String block(int levels) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            text.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        return text.append("  ".repeat(levels)).append("leaf: x\n").toString();
    }

    /** One anchored list and {@code count} aliases to it. */
    private static String aliases(int count) {
        StringBuilder text = new StringBuilder("base: &b [1]\nrefs:\n");
        for (int i = 0; i < count; i++) {
            text.append("  - *b\n");
        }
        return text.toString();
    }
}
