package io.ddbstreamscaler.bench;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them on the command line: {@code 90}, {@code 90s}, {@code 5m}, {@code 1m30s}, {@code PT5M}. */
public final class DurationArg {

    private static final Pattern SHORT = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s?)?$");

    private DurationArg() {
    }

    /** @param option the option's name, for the message */
    public static Duration parse(String option, String text) {
        String t = text == null ? "" : text.strip().toLowerCase();
        if (t.startsWith("pt")) {
            try {
                return positive(option, text, Duration.parse(t.toUpperCase()));
            } catch (java.time.format.DateTimeParseException e) {
                throw bad(option, text);
            }
        }
        Matcher m = SHORT.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw bad(option, text);
        }
        Duration d = Duration.ofHours(num(m.group(1))).plusMinutes(num(m.group(2))).plusSeconds(num(m.group(3)));
        return positive(option, text, d);
    }

    private static long num(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }

    private static Duration positive(String option, String text, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw bad(option, text);
        }
        return d;
    }

    private static IllegalArgumentException bad(String option, String text) {
        return new IllegalArgumentException(option + " must be a positive duration such as 90s, 5m or 1m30s, got '"
                + text + "'");
    }
}
