package io.ddbstreamscaler.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a shard trace: a header line, then one row per poll.
 * <pre>
 * seconds,shards          or   seconds,open,closed   or   seconds,open,closed,finished
 * 0,4                          0,4,0                      0,4,0,0
 * 30,error                     30,error,error             30,error,error,error
 * </pre>
 * Blank lines and lines starting with {@code #} are skipped. Seconds are whole, non-negative and strictly
 * increasing; counts are whole and non-negative; {@code error} in place of a count marks a failed probe. {@code finished}
 * (closed shards whose KCL lease is at SHARD_END, for a trigger with kclLeaseTable) is at most {@code closed}.
 */
public final class TraceCsv {

    private static final String ERROR = "error";

    private TraceCsv() {
    }

    public static List<TraceRow> parse(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new TraceFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the trace: " + e.getMessage(), e);
        }
    }

    /** @param source the name used in error messages (a file name) */
    public static List<TraceRow> parse(Reader reader, String source) {
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<TraceRow> rows = new ArrayList<>();
        Integer columns = null;
        int lineNo = 0;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                List<Field> fields = split(line);
                if (columns == null) {
                    columns = header(fields, source, lineNo);
                    continue;
                }
                rows.add(row(fields, columns, rows, source, lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read the trace: " + e.getMessage(), e);
        }
        if (columns == null) {
            throw new TraceFormatException(source + ": empty trace: expected a header " + HEADERS);
        }
        if (rows.isEmpty()) {
            throw new TraceFormatException(source + ": the trace has a header but no rows");
        }
        return List.copyOf(rows);
    }

    /** A field and its 1-based column, for messages. */
    private record Field(String text, int column) {
    }

    private static List<Field> split(String line) {
        List<Field> fields = new ArrayList<>();
        int start = 0;
        while (true) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 ? line.length() : comma;
            String raw = line.substring(start, end);
            int lead = raw.length() - raw.stripLeading().length();
            fields.add(new Field(raw.strip(), start + lead + 1));
            if (comma < 0) {
                return fields;
            }
            start = comma + 1;
        }
    }

    private static final List<List<String>> HEADER_NAMES = List.of(List.of("seconds", "shards"),
            List.of("seconds", "open", "closed"), List.of("seconds", "open", "closed", "finished"));
    private static final String HEADERS = "'seconds,shards', 'seconds,open,closed' or 'seconds,open,closed,finished'";

    /** The number of columns the header names. */
    private static int header(List<Field> fields, String source, int lineNo) {
        List<String> names = fields.stream().map(f -> f.text().toLowerCase()).toList();
        if (HEADER_NAMES.contains(names)) {
            return names.size();
        }
        throw new TraceFormatException(source + ":" + lineNo + ":1: expected the header " + HEADERS + ", got '"
                + String.join(",", fields.stream().map(Field::text).toList()) + "'");
    }

    private static TraceRow row(List<Field> fields, int columns, List<TraceRow> previous, String source, int lineNo) {
        if (fields.size() != columns) {
            throw new TraceFormatException(source + ":" + lineNo + ":1: expected " + columns + " values ("
                    + String.join(",", HEADER_NAMES.get(columns - 2)) + "), got " + fields.size());
        }
        boolean threeColumns = columns >= 3;
        long seconds = number(fields.get(0), "seconds", source, lineNo);
        if (!previous.isEmpty() && seconds <= previous.get(previous.size() - 1).seconds()) {
            throw new TraceFormatException(at(source, lineNo, fields.get(0)) + "seconds must increase: "
                    + seconds + " follows " + previous.get(previous.size() - 1).seconds());
        }
        List<Field> counts = fields.subList(1, fields.size());
        if (counts.stream().anyMatch(f -> f.text().equalsIgnoreCase(ERROR))) {
            return TraceRow.failure(seconds);
        }
        int open = (int) count(counts.get(0), threeColumns ? "open" : "shards", source, lineNo);
        int closed = threeColumns ? (int) count(counts.get(1), "closed", source, lineNo) : 0;
        if (columns < 4) {
            return new TraceRow(seconds, open, closed, false);
        }
        Field f = counts.get(2);
        int finished = (int) count(f, "finished", source, lineNo);
        if (finished > closed) {
            throw new TraceFormatException(at(source, lineNo, f) + "finished (" + finished + ") cannot exceed closed ("
                    + closed + "): only a closed shard can be read to its end");
        }
        return new TraceRow(seconds, open, closed, false, finished);
    }

    private static long count(Field f, String name, String source, int lineNo) {
        long n = number(f, name, source, lineNo);
        if (n > Integer.MAX_VALUE) {
            throw new TraceFormatException(at(source, lineNo, f) + name + " is too large: " + f.text());
        }
        return n;
    }

    private static long number(Field f, String name, String source, int lineNo) {
        try {
            long n = Long.parseLong(f.text());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the position
        }
        throw new TraceFormatException(at(source, lineNo, f) + name + " must be a whole number >= 0"
                + (name.equals("seconds") ? "" : " or 'error'") + ", got '" + f.text() + "'");
    }

    private static String at(String source, int lineNo, Field f) {
        return source + ":" + lineNo + ":" + f.column() + ": ";
    }
}
