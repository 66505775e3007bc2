package io.ddbstreamscaler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Linux says about a process: resident memory and threads from {@code /proc/<pid>/status}, CPU time from
 * {@code /proc/<pid>/stat} (fields 14 utime and 15 stime, in clock ticks: proc(5)).
 *
 * @param rssKiB  VmRSS
 * @param threads Threads
 * @param cpuTicks utime + stime
 */
public record ProcStatus(long rssKiB, int threads, long cpuTicks) {

    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)");

    public static ProcStatus read(long pid) throws IOException {
        Path dir = Path.of("/proc", Long.toString(pid));
        return parse(Files.readString(dir.resolve("status")), Files.readString(dir.resolve("stat")));
    }

    static ProcStatus parse(String status, String stat) {
        return new ProcStatus(field(RSS, status, "VmRSS"), (int) field(THREADS, status, "Threads"), cpuTicks(stat));
    }

    /** The command name (field 2) is in parentheses and may hold spaces or ')': count fields after the last ')'. */
    static long cpuTicks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }

    public double rssMiB() {
        return rssKiB / 1024.0;
    }

    private static long field(Pattern p, String text, String name) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("/proc status has no " + name + " line");
        }
        return Long.parseLong(m.group(1));
    }
}
