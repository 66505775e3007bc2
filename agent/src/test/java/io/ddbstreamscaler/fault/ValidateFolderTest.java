package io.ddbstreamscaler.fault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.cli.ScalerCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code validate -f FOLDER -o json} in-process on the whole generated corpus at once, as a user would run it on a
 * manifest folder: it exits 2, lists every valid ScaledObject, and prints no canary.
 */
class ValidateFolderTest {

    static final List<MalformedDocument> CORPUS = MalformedCorpus.generate();

    @TempDir
    static Path folder;

    static int exitCode;
    static String out;
    static String err;

    @BeforeAll
    static void validateTheWholeCorpus() {
        for (int i = 0; i < CORPUS.size(); i++) {
            CaseFiles.write(folder, i + 1, CORPUS.get(i));
        }
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = new CommandLine(new ScalerCli()).setOut(new PrintWriter(stdout)).setErr(new PrintWriter(stderr));
        exitCode = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> cli.execute("validate", "-f", folder.toString(), "-o", "json"));
        out = stdout.toString();
        err = stderr.toString();
    }

    @Test
    void exitsWithTheInvalidCode() {
        assertEquals(2, exitCode, () -> err.lines().limit(20).collect(Collectors.joining("\n")));
    }

    /** Every valid object, and the malformed ones whose only defect is a Secret offline validation cannot see. */
    @Test
    void jsonListsExactlyTheValidScaledObjects() throws Exception {
        List<Map<String, Object>> rows = new ObjectMapper().readValue(out, new TypeReference<>() {
        });
        Set<String> listed = rows.stream().map(row -> (String) row.get("scaledObject")).collect(Collectors.toCollection(TreeSet::new));

        Set<String> expected = IntStream.rangeClosed(1, CORPUS.size()).boxed()
                .flatMap(n -> CORPUS.get(n - 1).loaded(n).stream()).collect(Collectors.toCollection(TreeSet::new));
        IntStream.rangeClosed(1, CORPUS.size())
                .filter(n -> CORPUS.get(n - 1).outcome() == Outcome.REJECTED_WHEN_CLUSTER_CHECKED)
                .forEach(n -> expected.add(Templates.NAMESPACE + "/bad-" + n));
        assertEquals(Set.of(), difference(expected, listed), "expected but not listed");
        assertEquals(Set.of(), difference(listed, expected), "listed but not expected");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    @Test
    void stderrAndStdoutNeverShowACanary() {
        for (int n = 1; n <= CORPUS.size(); n++) {
            for (String canary : Companions.canaryForms(n)) {
                assertFalse(err.contains(canary), canary);
                assertFalse(out.contains(canary), canary);
            }
        }
    }

    /** One line per message, none of them a stack trace or a runaway value. */
    @Test
    void stderrIsShortLinesWithoutStackTraces() {
        List<String> lines = err.lines().toList();
        assertTrue(lines.size() > CORPUS.size(), "fewer messages than malformed documents: " + lines.size());
        lines.forEach(line -> assertFalse(line.startsWith("\tat ") || line.contains("Exception"), line));
        lines.forEach(line -> assertTrue(line.length() < 1000, () -> "a line of " + line.length() + " characters"));
        assertTrue(lines.get(lines.size() - 1).startsWith(CORPUS.size() + 1 + " valid ScaledObject(s)")
                || lines.get(lines.size() - 1).matches("\\d+ valid ScaledObject\\(s\\), \\d+ error\\(s\\)"),
                lines.get(lines.size() - 1));
    }
}
