package io.ddbstreamscaler.fault;

import io.ddbstreamscaler.trigger.ConfigError;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each generated malformed document, loaded in a file together with a valid ScaledObject + TriggerAuthentication +
 * Secret: {@code load} returns in time, the valid object keeps its values, the malformed one gets the error (or the
 * warning, or the silence) its row expects, every error names its file, object and field, and no canary secret shows.
 */
class MalformedDocumentsTest {

    /**
     * A hang guard, not a timing: about 40 times the slowest case (half a second on an idle machine), so a loaded
     * machine never trips it, while a hang or a blow-up (quadratic parsing took 40 s on a 10 MB value) still does.
     * The mutation profile raises it (-Dmalformed.loadLimit=PT60S): PIT's probes slow every load down.
     */
    static final Duration LOAD_LIMIT = Duration.parse(System.getProperty("malformed.loadLimit", "PT20S"));

    /** The agent's view: Secrets not in the files are looked up in a cluster, which here holds none. */
    static final SecretSource EMPTY_CLUSTER = (namespace, name) -> Optional.empty();

    @TempDir
    Path dir;

    static Stream<Arguments> corpus() {
        List<MalformedDocument> corpus = MalformedCorpus.generate();
        return IntStream.range(0, corpus.size())
                .mapToObj(i -> Arguments.of("#" + (i + 1) + " " + corpus.get(i), i + 1, corpus.get(i)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void malformedDocumentIsReportedAndTheValidObjectsBesideItStillLoad(String row, int n, MalformedDocument document) {
        CaseFiles files = CaseFiles.write(dir, n, document);
        TriggerConfigLoader loader = new TriggerConfigLoader(EMPTY_CLUSTER, name -> null);

        LoadResult result = assertTimeoutPreemptively(LOAD_LIMIT, () -> loader.load(List.of(dir)));

        assertEquals(document.loaded(n), result.scaledObjects().stream().map(ScaledObjectConfig::id).sorted().toList(),
                () -> describe(result));
        Companions.assertLoaded(n, result.scaledObjects().stream()
                .filter(config -> config.id().equals(Companions.id(n))).findFirst().orElseThrow());
        assertEquals(document.outcome().errors, !result.errors().isEmpty(), () -> describe(result));
        assertEquals(document.outcome().warnings, result.warnings().size(), () -> describe(result));
        expectedErrors(document, n).forEach(expected -> assertTrue(result.errors().stream().anyMatch(expected::matches),
                () -> "no error like " + expected + " in " + describe(result)));
        expectedWarnings(document, n).forEach(fragment -> assertTrue(result.warnings().stream()
                .anyMatch(w -> w.contains(fragment) && w.contains(files.badFile().toString())
                        || w.contains(fragment) && w.contains("bad-" + n)), () -> describe(result)));
        if (document.outcome() == Outcome.SKIPPED_WITH_NOTE) {
            assertTrue(result.skipped().stream().anyMatch(note -> note.contains(document.expectedMessage(n))
                    && note.contains(files.badFile().toString())), () -> "skipped=" + result.skipped());
        }
        result.errors().forEach(error -> assertNamesItsPlace(error, files));
        assertNoCanary(n, shownText(result));
    }

    /** The one error the row expects, as a matcher: none unless the outcome is an error. */
    static List<ExpectedError> expectedErrors(MalformedDocument document, int n) {
        return document.outcome().errors ? List.of(new ExpectedError(document.expectedObject(n),
                document.expectedField(), document.expectedMessage(n))) : List.of();
    }

    static List<String> expectedWarnings(MalformedDocument document, int n) {
        return document.outcome().warnings == 0 ? List.of() : List.of(document.expectedMessage(n));
    }

    /** An expected error: the object label (or its prefix), the exact field (null: none) and a message fragment. */
    record ExpectedError(String object, String field, String message) {
        boolean matches(ConfigError error) {
            boolean objectMatches = object == null ? error.object() == null
                    : error.object() != null && error.object().startsWith(object);
            return objectMatches && java.util.Objects.equals(field, error.field()) && error.message().contains(message);
        }
    }

    /** {@code file: object: field: message}, the object being a kind and name or a document position. */
    static void assertNamesItsPlace(ConfigError error, CaseFiles files) {
        assertNotNull(error.file(), error::format);
        assertTrue(error.file().equals(files.badFile()) || error.file().equals(files.validFile()), error::format);
        assertTrue(error.format().startsWith(error.file() + ": "), error::format);
        if (error.object() != null) {
            assertTrue(error.object().matches("(ScaledObject|TriggerAuthentication|Secret) fault/[a-z0-9.-]+"
                    + "|document \\d+ \\(line \\d+\\)"), error::format);
            assertTrue(error.format().contains(": " + error.object() + ": "), error::format);
        }
        if (error.field() != null) {
            assertTrue(error.format().contains(": " + error.field() + ": "), error::format);
        }
        assertTrue(error.format().length() < 1000, () -> "an error line of " + error.format().length() + " characters");
        // For the user, not for the parser's developers: no Java exception or parser class.
        assertFalse(error.message().matches("(?s).*(Exception|org\\.snakeyaml).*"), error::format);
    }

    /** Everything the loader lets anyone see: errors, warnings, notes and the records' toString(). */
    static List<String> shownText(LoadResult result) {
        List<String> shown = new ArrayList<>();
        result.errors().forEach(error -> shown.add(error.format()));
        result.errors().forEach(error -> shown.add(error.toString()));
        shown.addAll(result.warnings());
        shown.addAll(result.notes());
        shown.addAll(result.skipped());
        result.scaledObjects().forEach(config -> shown.add(config.toString()));
        shown.add(result.toString());
        return shown;
    }

    static void assertNoCanary(int n, List<String> shown) {
        for (String text : shown) {
            for (String canary : Companions.canaryForms(n)) {
                assertFalse(text.contains(canary), () -> "shows " + canary + ": " + abbreviate(text));
            }
        }
    }

    private static String describe(LoadResult result) {
        return abbreviate("errors=" + result.errors().stream().map(ConfigError::format).toList() + " warnings="
                + result.warnings() + " notes=" + result.notes() + " loaded="
                + result.scaledObjects().stream().map(ScaledObjectConfig::id).toList());
    }

    private static String abbreviate(String text) {
        return text.length() > 3000 ? text.substring(0, 3000) + "... (" + text.length() + " characters)" : text;
    }
}
