package io.ddbstreamscaler.bench;

/**
 * One line of the benchmark's table of figures: what was measured, the value reached, the target it is judged by.
 *
 * @param row    the row of bench/RESULTS.md's table it answers (1 calls/poll, 2 CPU/poll, 3 reaction, 4 footprint, 5 scale)
 * @param what   e.g. "AWS calls/poll, 1000 shards"
 * @param value  the figure with its unit, e.g. "10" or "4.12 s"
 * @param target the target with its unit, or "-" when the figure is for information
 * @param verdict whether the target was met
 */
public record Figure(int row, String what, String value, String target, Verdict verdict) {

    /** How a figure compares with its target. */
    public enum Verdict {
        MET("met"), MISSED("MISSED"), INFO(""), NOT_RUN("not run");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** MET when {@code ok}, MISSED otherwise. */
        public static Verdict of(boolean ok) {
            return ok ? MET : MISSED;
        }
    }

    public static Figure info(int row, String what, String value) {
        return new Figure(row, what, value, "-", Verdict.INFO);
    }

    public static Figure notRun(int row, String what, String why) {
        return new Figure(row, what, why, "-", Verdict.NOT_RUN);
    }
}
