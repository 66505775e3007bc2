package io.ddbstreamscaler.trigger;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream at its document markers ({@code ---} and {@code ...} at the start of a line) so each document is
 * parsed alone: after a syntax error a YAML parser cannot find the next document by itself.
 */
final class DocumentSplitter {

    /** One document's text and the 1-based line it starts on. */
    record Chunk(String text, int line) {
    }

    private DocumentSplitter() {
    }

    static List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = 1;
        boolean hasContent = false;
        String[] lines = text.split("\r\n|\r|\n", -1);
        // split(-1) leaves an empty last element after the final newline: it is no line of the file.
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            boolean startMarker = isMarker(line, "---");
            boolean endMarker = isMarker(line, "...");
            if ((startMarker || endMarker) && hasContent) {
                chunks.add(new Chunk(current.toString(), start));
                current.setLength(0);
                hasContent = false;
            }
            if (endMarker) {
                continue;
            }
            if (current.length() == 0) {
                start = i + 1;
            }
            // A "---" line may carry content ("--- |", "--- {a: 1}"): keep it with its document.
            String rest = startMarker ? line.substring(3).trim() : line.trim();
            if (!rest.isEmpty() && !rest.startsWith("#") && !(line.startsWith("%") && !startMarker)) {
                hasContent = true;
            }
            current.append(line).append('\n');
        }
        if (hasContent) {
            chunks.add(new Chunk(current.toString(), start));
        }
        return chunks;
    }

    private static boolean isMarker(String line, String marker) {
        return line.startsWith(marker) && (line.length() == 3 || Character.isWhitespace(line.charAt(3)));
    }

    /**
     * The deepest nesting of flow collections ({@code [ {}), outside quotes and comments: checked before parsing,
     * because the parser's own recursion would otherwise exhaust the stack on "[[[[...".
     */
    static int flowDepth(String text) {
        int depth = 0;
        int max = 0;
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                comment = false;
                continue;
            }
            if (comment) {
                continue;
            }
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'' -> quote = (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1))) ? 0 : c;
                case '#' -> comment = i == 0 || Character.isWhitespace(text.charAt(i - 1));
                case '[', '{' -> max = Math.max(max, ++depth);
                case ']', '}' -> depth = Math.max(0, depth - 1);
                default -> {
                }
            }
        }
        return max;
    }
}
