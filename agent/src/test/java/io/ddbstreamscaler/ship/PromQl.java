package io.ddbstreamscaler.ship;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) reads. Enough of PromQL for the
 * project's own alert rules and dashboard: label matchers, ranges, grouping clauses, strings, numbers, durations,
 * Grafana variables and function calls are not names; every other identifier is.
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "bool", "and", "or", "unless", "atan2", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$",
            Pattern.DOTALL);
    /** A number or duration (consumed whole, so "10m" yields no "m"), a Grafana variable, or an identifier. */
    private static final Pattern TOKEN = Pattern.compile(
            "(?<number>[0-9][0-9.eE+]*[a-zA-Z]*)|(?<variable>\\$[A-Za-z_][A-Za-z0-9_]*)|(?<ident>[A-Za-z_:][A-Za-z0-9_:]*)");

    private static final Pattern SELECTOR = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\{([^}]*)}");
    private static final Pattern EQUALS = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"([^\"$]*)\"");

    private PromQl() {
    }

    /** A series selected by name and one label's exact value, e.g. {@code outcome="failure"}. */
    public record LabelMatch(String metric, String label, String value) {
        @Override
        public String toString() {
            return metric + "{" + label + "=\"" + value + "\"}";
        }
    }

    /**
     * The exact-value label matchers ({@code name{label="value"}}) of an expression: an alert that selects a label
     * value the agent never exports would never fire. Regex matchers and Grafana variables are left out.
     */
    public static Set<LabelMatch> labelMatches(String expression) {
        Set<LabelMatch> matches = new java.util.LinkedHashSet<>();
        Matcher selector = SELECTOR.matcher(expression);
        while (selector.find()) {
            Matcher equals = EQUALS.matcher(selector.group(2));
            // "=~", "!=" and "!~" do not match EQUALS: a character sits between the label and "=" or after "=".
            while (equals.find()) {
                matches.add(new LabelMatch(selector.group(1), equals.group(1), equals.group(2)));
            }
        }
        return matches;
    }

    public static Set<String> metricNames(String expression) {
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        String expr = labelValues.matches() ? labelValues.group(1) : expression;
        // Strings first: a label value may hold braces or brackets.
        expr = STRING.matcher(expr).replaceAll("\"\"");
        expr = MATCHERS.matcher(expr).replaceAll(" ");
        expr = RANGE.matcher(expr).replaceAll(" ");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher token = TOKEN.matcher(expr);
        while (token.find()) {
            String ident = token.group("ident");
            if (ident == null || KEYWORDS.contains(ident) || isCall(expr, token.end())) {
                continue;
            }
            names.add(ident);
        }
        return names;
    }

    private static boolean isCall(String expr, int end) {
        int i = end;
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i < expr.length() && expr.charAt(i) == '(';
    }
}
