package io.ddbstreamscaler.trigger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The typed reads of trigger metadata, value by value: what each returns and the one problem it reports, naming the
 * field. The parsers' tests reach these reads through whole documents; here each edge is a row of its own.
 */
class MetadataValuesTest {

    static final String PATH = "spec.triggers[0].metadata";

    /** Reads {@code key} from metadata holding {@code value} (null: absent) and collects the problems. */
    record Read(List<String> problems, MetadataValues values) {
        static Read of(String value) {
            Map<String, String> raw = new HashMap<>();
            raw.put("key", value);
            List<String> problems = new ArrayList<>();
            return new Read(problems, new MetadataValues(raw, PATH, (field, message) -> problems.add(field + " "
                    + message)));
        }
    }

    static Stream<Arguments> wholeNumbers() {
        String at = PATH + ".key ";
        return Stream.of(
                // name, value, what wholeNumber("key", 7, 1) returns, the problems
                Arguments.of("absent: the fallback", null, 7L, List.of()),
                Arguments.of("blank counts as absent", "  ", 7L, List.of()),
                Arguments.of("a number", "12", 12L, List.of()),
                Arguments.of("trimmed", " 12 ", 12L, List.of()),
                Arguments.of("the minimum itself", "1", 1L, List.of()),
                Arguments.of("below the minimum", "0", 7L, List.of(at + "must be at least 1, got 0")),
                Arguments.of("negative", "-3", 7L, List.of(at + "must be at least 1, got -3")),
                Arguments.of("the largest long", "9223372036854775807", 9223372036854775807L, List.of()),
                Arguments.of("one past the largest long", "9223372036854775808", 7L, List.of(at + "must be a whole "
                        + "number of at most 9223372036854775807 (and at least -9223372036854775808), got "
                        + "\"9223372036854775808\"")),
                Arguments.of("a fraction, as strconv.ParseInt", "1.5", 7L, List.of(at
                        + "must be a whole number, got \"1.5\"")),
                Arguments.of("not a number", "a", 7L, List.of(at + "must be a whole number, got \"a\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wholeNumbers")
    void aWholeNumberIsReadOrNamedAsWrong(String name, String value, long expected, List<String> problems) {
        Read read = Read.of(value);
        assertEquals(expected, read.values().wholeNumber("key", 7, 1));
        assertEquals(problems, read.problems());
    }

    static Stream<Arguments> booleans() {
        String wrong = PATH + ".key must be true or false, got ";
        return Stream.of(
                // name, value, fallback, what bool returns, the problems
                Arguments.of("absent, fallback true", null, true, true, List.of()),
                Arguments.of("absent, fallback false", null, false, false, List.of()),
                Arguments.of("true over a false fallback", "true", false, true, List.of()),
                Arguments.of("TRUE, any case", "TRUE", false, true, List.of()),
                Arguments.of("false over a true fallback", "false", true, false, List.of()),
                Arguments.of("False, any case", "False", true, false, List.of()),
                Arguments.of("yes is not a boolean: the fallback (true)", "yes", true, true, List.of(wrong + "\"yes\"")),
                Arguments.of("1 is not a boolean: the fallback (false)", "1", false, false, List.of(wrong + "\"1\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("booleans")
    void aBooleanIsTrueOrFalseInAnyCase(String name, String value, boolean fallback, boolean expected,
                                        List<String> problems) {
        Read read = Read.of(value);
        assertEquals(expected, read.values().bool("key", fallback));
        assertEquals(problems, read.problems());
    }

    static Stream<Arguments> urls() {
        String wrong = PATH + ".key must be an http:// or https:// URL with a host, got ";
        return Stream.of(
                // name, value, the URI read (null: none), the problems
                Arguments.of("absent", null, null, List.of()),
                Arguments.of("http with a port", "http://127.0.0.1:4566", "http://127.0.0.1:4566", List.of()),
                Arguments.of("https", "https://dynamodb.eu-west-1.amazonaws.com",
                        "https://dynamodb.eu-west-1.amazonaws.com", List.of()),
                Arguments.of("the scheme in capitals", "HTTP://localhost:8000", "HTTP://localhost:8000", List.of()),
                Arguments.of("another scheme", "ftp://localhost", null, List.of(wrong + "\"ftp://localhost\"")),
                Arguments.of("no scheme", "localhost:4566", null, List.of(wrong + "\"localhost:4566\"")),
                Arguments.of("no host", "http:///path", null, List.of(wrong + "\"http:///path\"")),
                Arguments.of("not a URI at all", "http://a b", null, List.of(wrong + "\"http://a b\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void anEndpointIsAnHttpUrlWithAHost(String name, String value, String expected, List<String> problems) {
        Read read = Read.of(value);
        URI uri = read.values().url("key");
        assertEquals(expected, uri == null ? null : uri.toString());
        assertEquals(problems, read.problems());
    }
}
