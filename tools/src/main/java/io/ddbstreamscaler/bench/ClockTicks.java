package io.ddbstreamscaler.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Clock ticks per second of /proc CPU times ({@code getconf CLK_TCK}; 100 on every common Linux). */
final class ClockTicks {

    private static volatile Long perSecond;

    private ClockTicks() {
    }

    static long perSecond() {
        if (perSecond == null) {
            long value = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    value = Long.parseLong(out);
                }
            } catch (Exception e) {
                // getconf missing: keep the Linux default.
            }
            perSecond = value;
        }
        return perSecond;
    }

    static double seconds(long ticks) {
        return ticks / (double) perSecond();
    }
}
