package io.ddbstreamscaler.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Min, median and max of a few measurements (the median of an even count is the mean of the middle two). */
public record Stats(int count, double min, double median, double max) {

    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurements");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(n, sorted.get(0), median, sorted.get(n - 1));
    }

    /** e.g. "1.20 / 3.40 / 5.10 s". */
    public String format(String unit) {
        return String.format("%.2f / %.2f / %.2f %s", min, median, max, unit);
    }
}
