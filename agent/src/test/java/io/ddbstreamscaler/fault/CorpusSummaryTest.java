package io.ddbstreamscaler.fault;

import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The corpus itself: big enough, every category present, deterministic, and built on valid templates. */
class CorpusSummaryTest {

    static final List<MalformedDocument> CORPUS = MalformedCorpus.generate();

    @Test
    void corpusHoldsAtLeast200DocumentsWithUniqueNames() {
        assertTrue(CORPUS.size() >= 200, "only " + CORPUS.size() + " documents");
        assertEquals(CORPUS.size(), new HashSet<>(CORPUS.stream().map(MalformedDocument::toString).toList()).size(),
                "two cases share a name");
    }

    static Stream<Arguments> minimumPerCategory() {
        return Stream.of(
                Arguments.of(Category.WRONG_TYPE, 100), Arguments.of(Category.MISSING_FIELD, 25),
                Arguments.of(Category.HUGE_VALUE, 15), Arguments.of(Category.OUT_OF_RANGE, 25),
                Arguments.of(Category.UNKNOWN_KIND, 15), Arguments.of(Category.BINARY_GARBAGE, 20),
                Arguments.of(Category.YAML_BOMB, 8), Arguments.of(Category.DEEP_NESTING, 6),
                Arguments.of(Category.INDENTATION, 10), Arguments.of(Category.DUPLICATE_KEY, 10),
                Arguments.of(Category.MULTI_DOCUMENT, 10), Arguments.of(Category.SECRET_ENCODING, 10));
    }

    @ParameterizedTest(name = "{0}: at least {1}")
    @MethodSource("minimumPerCategory")
    void everyCategoryIsCovered(Category category, int minimum) {
        Map<Category, Long> counts = counts();
        assertTrue(counts.getOrDefault(category, 0L) >= minimum, () -> category + ": " + counts);
    }

    @Test
    void everyCategoryHasARowAbove() {
        assertEquals(Arrays.asList(Category.values()), minimumPerCategory().map(row -> row.get()[0]).toList());
    }

    @Test
    void generationIsDeterministic() {
        List<MalformedDocument> again = MalformedCorpus.generate();
        assertEquals(CORPUS.size(), again.size());
        for (int i = 0; i < CORPUS.size(); i++) {
            assertTrue(Arrays.equals(CORPUS.get(i).content(i + 1), again.get(i).content(i + 1)), CORPUS.get(i)::toString);
        }
    }

    /** Each template alone is valid, so the one mutation of a case is the only defect in it. */
    @Test
    void templatesAreValid(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("templates.yaml"), MalformedDocument.fill(Templates.ALL, 7));

        LoadResult result = new TriggerConfigLoader((namespace, name) -> java.util.Optional.empty(), name -> null)
                .load(List.of(dir));

        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.warnings());
        assertEquals(List.of("fault/bad-7"), result.scaledObjects().stream().map(c -> c.id()).toList());
    }

    private static Map<Category, Long> counts() {
        Map<Category, Long> counts = new EnumMap<>(Category.class);
        CORPUS.forEach(document -> counts.merge(document.category(), 1L, Long::sum));
        return counts;
    }
}
