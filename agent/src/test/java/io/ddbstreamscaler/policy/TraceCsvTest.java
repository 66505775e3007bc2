package io.ddbstreamscaler.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TraceCsvTest {

    record Good(String name, String csv, List<TraceRow> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Good> good() {
        return Stream.of(
                new Good("seconds,shards", "seconds,shards\n0,4\n30,5\n",
                        List.of(TraceRow.shards(0, 4), TraceRow.shards(30, 5))),
                new Good("seconds,open,closed", "seconds,open,closed\n0,4,0\n30,4,2\n",
                        List.of(new TraceRow(0, 4, 0, false), new TraceRow(30, 4, 2, false))),
                new Good("error marks a failed probe", "seconds,shards\n0,4\n30,error\n",
                        List.of(TraceRow.shards(0, 4), TraceRow.failure(30))),
                new Good("error in either count column", "seconds,open,closed\n0,error,3\n",
                        List.of(TraceRow.failure(0))),
                new Good("seconds,open,closed,finished (a kclLeaseTable trigger's trace)",
                        "seconds,open,closed,finished\n0,4,2,0\n30,4,2,2\n60,error,error,error\n",
                        List.of(new TraceRow(0, 4, 2, false, 0), new TraceRow(30, 4, 2, false, 2),
                                TraceRow.failure(60))),
                new Good("comments, blank lines, spaces and CRLF", "# a trace\r\n\r\nSeconds, Shards\r\n 0 , 4 \r\n",
                        List.of(TraceRow.shards(0, 4))),
                new Good("the largest count an int holds", "seconds,shards\n0,2147483647\n",
                        List.of(TraceRow.shards(0, 2147483647))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void parses(Good row) {
        assertEquals(row.expected(), TraceCsv.parse(new StringReader(row.csv()), "t.csv"));
    }

    record Bad(String name, String csv, String expectedMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("empty file", "", "t.csv: empty trace: expected a header 'seconds,shards',"
                        + " 'seconds,open,closed' or 'seconds,open,closed,finished'"),
                new Bad("header only", "seconds,shards\n", "t.csv: the trace has a header but no rows"),
                new Bad("unknown header", "time,shards\n0,1\n",
                        "t.csv:1:1: expected the header 'seconds,shards', 'seconds,open,closed' or"
                                + " 'seconds,open,closed,finished', got 'time,shards'"),
                new Bad("wrong number of values", "seconds,shards\n0,1,2\n",
                        "t.csv:2:1: expected 2 values (seconds,shards), got 3"),
                new Bad("a count that is not a number, with its column", "seconds,shards\n0,1\n30,four\n",
                        "t.csv:3:4: shards must be a whole number >= 0 or 'error', got 'four'"),
                new Bad("a negative closed count", "seconds,open,closed\n0,1,-2\n",
                        "t.csv:2:5: closed must be a whole number >= 0 or 'error', got '-2'"),
                new Bad("more finished than closed shards", "seconds,open,closed,finished\n0,4,2,3\n",
                        "t.csv:2:7: finished (3) cannot exceed closed (2): only a closed shard can be read to its end"),
                new Bad("a finished column of four values per row", "seconds,open,closed,finished\n0,4,2\n",
                        "t.csv:2:1: expected 4 values (seconds,open,closed,finished), got 3"),
                new Bad("seconds that are not a number", "seconds,shards\nsoon,1\n",
                        "t.csv:2:1: seconds must be a whole number >= 0, got 'soon'"),
                new Bad("seconds that do not increase", "seconds,shards\n30,1\n30,2\n",
                        "t.csv:3:1: seconds must increase: 30 follows 30"),
                new Bad("a count beyond an int", "seconds,shards\n0,2147483648\n",
                        "t.csv:2:3: shards is too large: 2147483648"),
                new Bad("an open count that is not a number", "seconds,open,closed\n0,x,1\n",
                        "t.csv:2:3: open must be a whole number >= 0 or 'error', got 'x'"),
                new Bad("three columns expected", "seconds,open,closed\n0,1\n",
                        "t.csv:2:1: expected 3 values (seconds,open,closed), got 2"),
                new Bad("an empty first value", "seconds,shards\n,5\n",
                        "t.csv:2:1: seconds must be a whole number >= 0, got ''"),
                new Bad("the column of a value after spaces", "seconds,shards\n10,   x\n",
                        "t.csv:2:7: shards must be a whole number >= 0 or 'error', got 'x'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void rejectsWithFileLineAndColumn(Bad row) {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceCsv.parse(new StringReader(row.csv()), "t.csv"));
        assertEquals(row.expectedMessage(), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceCsv.parse(Path.of("no/such/trace.csv")));
        assertEquals("no/such/trace.csv: no such file", e.getMessage());
    }
}
