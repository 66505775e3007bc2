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
                        List.of(new DocumentSplitter.Chunk("a: 1\n", 1), new DocumentSplitter.Chunk("---\nb: 2\n", 2))));
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
                Arguments.of("apostrophe inside a word is no quote", "a: it's [1]\n", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("depthRows")
    void measuresFlowDepth(String row, String text, int depth) {
        assertEquals(depth, DocumentSplitter.flowDepth(text));
    }
}
