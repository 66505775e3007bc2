package io.ddbstreamscaler.ship;



import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Named.named;

/** Which identifiers of a PromQL expression are metric names: the input of ServedSeriesIT. */
class PromQlTest {

    static Stream<Arguments> expressions() {
        return Stream.of(
                row("a bare name", "up", Set.of("up")),
                row("matchers and a range are not names", "rate(x_total{a=\"b\", c=~\"d{1}\"}[5m])", Set.of("x_total")),
                row("a label value with brackets and quotes", "y{a=\"[x] \\\"z\\\"\"}", Set.of("y")),
                row("grouping labels are not names", "sum by (namespace, scaledObject) (a) / on (pod) group_left () b",
                        Set.of("a", "b")),
                row("without and ignoring", "sum without (pod) (a) * ignoring (kind) b", Set.of("a", "b")),
                row("functions are not names, numbers and durations are not either",
                        "clamp_min(3 * max by (n) (p_seconds), 120) > time() - q offset 10m", Set.of("p_seconds", "q")),
                row("set operators and bool", "a or b unless c and d > bool 1", Set.of("a", "b", "c", "d")),
                row("Grafana variables", "increase(x{ns=~\"$namespace\"}[$__rate_interval]) * $factor", Set.of("x")),
                row("vector(0) is a literal", "count(m == 0) or vector(0)", Set.of("m")),
                row("a recording-rule name with colons", "job:requests:rate5m", Set.of("job:requests:rate5m")),
                row("Grafana label_values: the selector, not the label",
                        "label_values(keda_scaler_metrics_value{namespace=~\"$namespace\"}, scaledObject)",
                        Set.of("keda_scaler_metrics_value")),
                row("scientific numbers", "a > 1e3", Set.of("a")));
    }

    private static Arguments row(String name, String expr, Set<String> names) {
        return Arguments.of(named(name, expr), names);
    }

    static Stream<Arguments> labelMatches() {
        return Stream.of(
                match("one exact matcher", "rate(w_total{outcome=\"failure\"}[5m])", Set.of("w_total{outcome=\"failure\"}")),
                match("regex, negative and variable matchers are not exact", "x{a=~\"b\", c!=\"d\", e!~\"f\", g=\"$v\"}",
                        Set.of()),
                match("several selectors and matchers", "a{k=\"1\", m = \"2\"} / b{n=\"3\"}",
                        Set.of("a{k=\"1\"}", "a{m=\"2\"}", "b{n=\"3\"}")),
                match("no matchers", "sum(rate(c_total[5m]))", Set.of()));
    }

    private static Arguments match(String name, String expr, Set<String> matches) {
        return Arguments.of(named(name, expr), matches);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelMatches")
    void labelMatches(String expr, Set<String> expected) {
        assertEquals(expected, PromQl.labelMatches(expr).stream().map(PromQl.LabelMatch::toString)
                .collect(java.util.stream.Collectors.toSet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void metricNames(String expr, Set<String> expected) {
        assertEquals(expected, PromQl.metricNames(expr));
    }
}
