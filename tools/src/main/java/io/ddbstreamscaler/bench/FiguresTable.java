package io.ddbstreamscaler.bench;

import java.io.PrintStream;
import java.util.List;

/** Prints the figures of one or more scenarios as one Markdown table (readable in a terminal, pasteable in RESULTS.md). */
public final class FiguresTable {

    private FiguresTable() {
    }

    public static void print(Machine machine, List<Figure> figures, PrintStream out) {
        out.println();
        out.println("## Figures (" + machine.describe() + ")");
        out.println();
        int what = Math.max(6, figures.stream().mapToInt(f -> f.what().length()).max().orElse(0));
        int value = Math.max(5, figures.stream().mapToInt(f -> f.value().length()).max().orElse(0));
        int target = Math.max(6, figures.stream().mapToInt(f -> f.target().length()).max().orElse(0));
        String format = "| %-3s | %-" + what + "s | %" + value + "s | %-" + target + "s | %-7s |%n";
        out.printf(format, "#", "figure", "value", "target", "verdict");
        out.printf("|-----|-%s-|-%s:|-%s-|---------|%n", "-".repeat(what), "-".repeat(value), "-".repeat(target));
        for (Figure f : figures) {
            out.printf(format, f.row(), f.what(), f.value(), f.target(), f.verdict().label());
        }
    }
}
