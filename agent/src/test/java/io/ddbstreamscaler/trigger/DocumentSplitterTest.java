package io.ddbstreamscaler.trigger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Splitting a YAML stream into documents, each with the line it starts on. */
class DocumentSplitterTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("one document", "a: 1\n", List.of(new DocumentSplitter.Chunk("a: 1\n", 1))),
                Arguments.of("leading marker and comments", "# c\n---\na: 1\n",
                        List.of(new DocumentSplitter.Chunk("# c\n---\na: 1\n", 1))),
                Arguments.of("two documents", "a: 1\n---\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("---\nb: 2\n", 2))),
                Arguments.of("empty documents are dropped", "---\n---\n# only a comment\n---\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("---\n---\n# only a comment\n---\nb: 2\n", 1))),
                Arguments.of("end marker", "a: 1\n...\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("b: 2\n", 3))),
                Arguments.of("content on the marker line", "a: 1\n--- {b: 2}\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("--- {b: 2}\n", 2))),
                Arguments.of("---x is no marker", "a: |\n  x\n---x: 1\n",
                        List.of(new DocumentSplitter.Chunk("a: |\n  x\n---x: 1\n", 1))),
                Arguments.of("CRLF line ends", "a: 1\r\n---\r\nb: 2\r\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("---\nb: 2\n", 2))),
                Arguments.of("CR line ends", "a: 1\r---\rb: 2",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("---\nb: 2\n", 2))),
                Arguments.of("nothing", "", List.of()),
                Arguments.of("only blank lines", "\n\n  \n", List.of()),
                Arguments.of("no newline at the end", "a: 1", List.of(new DocumentSplitter.Chunk("a: 1\n", 1))),
                Arguments.of("blank lines at the end stay with the document", "a: 1\n\n\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n\n\n", 1))),
                Arguments.of("blank lines before the first document belong to it", "\n\na: 1\n",
                        List.of(new DocumentSplitter.Chunk("\n\na: 1\n", 1))),
                Arguments.of("the line after an end marker", "a: 1\n...\n\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("\nb: 2\n", 3))),
                Arguments.of("an end marker at the end", "a: 1\n...\n", List.of(new DocumentSplitter.Chunk("a: 1\n", 1))),
                Arguments.of("an end marker with a comment", "a: 1\n... # end\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("b: 2\n", 3))),
                Arguments.of("a marker followed by a tab", "a: 1\n---\t# next\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("---\t# next\nb: 2\n", 2))),
                Arguments.of("a marker with a comment is no content", "---   # first\n---\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("---   # first\n---\nb: 2\n", 1))),
                Arguments.of("...x is no marker", "a: |\n  x\n...x: 1\n",
                        List.of(new DocumentSplitter.Chunk("a: |\n  x\n...x: 1\n", 1))),
                Arguments.of("a directive is no content and stays with the document after it", "a: 1\n...\n%YAML 1.2\n---\nb: 2\n",
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("%YAML 1.2\n---\nb: 2\n", 3))),
                Arguments.of("only a directive", "%YAML 1.2\n", List.of()),
                Arguments.of("an indented % is content", "  %x\n", List.of(new DocumentSplitter.Chunk("  %x\n", 1))),
                Arguments.of("a % on the marker line is content", "--- %x\n", List.of(new DocumentSplitter.Chunk("--- %x\n", 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void splitsDocuments(String row, String text, List<DocumentSplitter.Chunk> expected) {
        assertEquals(expected, DocumentSplitter.split(text));
    }

    static Stream<Arguments> depthRows() {
        return Stream.of(
                Arguments.of("flat", "a: 1\n", 0),
                Arguments.of("nested flow", "a: [{b: [1]}]\n", 3),
                Arguments.of("brackets in quotes do not count", "a: \"[[[[\"\nb: '{{{{'\n", 0),
                Arguments.of("brackets in comments do not count", "a: 1 # [[[[\n", 0),
                Arguments.of("apostrophe inside a word is no quote", "a: it's [1]\n", 1),
                Arguments.of("a double quote inside a word is no quote", "a: say\"[1]\n", 1),
                Arguments.of("digits before a quote make it no quote", "a: 5'[1]\n", 1),
                Arguments.of("a quote at the very start", "'[[': 1\nb: [1]\n", 1),
                Arguments.of("a quote ends at its own kind only", "a: \"it's [\" \nb: [{c: 1}]\n", 2),
                Arguments.of("a quoted value spans lines", "a: '[\n[' \nb: [1]\n", 1),
                Arguments.of("a comment ends at the end of its line", "a: 1 # [[\nb: [1]\n", 1),
                Arguments.of("a comment at the very start", "#[[[\na: [1]\n", 1),
                Arguments.of("# inside a word is no comment", "a: b#[1]\n", 1),
                Arguments.of("a # after a tab starts a comment", "a: 1\t#[[\n", 0),
                Arguments.of("more closing than opening never goes below 0", "a: ]]]\nb: [[1]]\n", 2),
                Arguments.of("siblings do not add up", "a: [1], b: [2], c: {d: [3]}\n", 2),
                Arguments.of("the deepest of several", "a: [[[1]]]\nb: [1]\n", 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("depthRows")
    void measuresFlowDepth(String row, String text, int depth) {
        assertEquals(depth, DocumentSplitter.flowDepth(text));
    }
}
