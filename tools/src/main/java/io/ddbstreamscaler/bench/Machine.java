package io.ddbstreamscaler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine a run was measured on, printed with every table: figures from another machine do not compare.
 *
 * @param cpus     available processors (nproc)
 * @param ramMiB   MemTotal of /proc/meminfo, 0 when unknown
 * @param java     java.vm.name and java.runtime.version
 * @param loadAverage the 1-minute load average when the table was printed (other work on the machine skews figures)
 */
public record Machine(int cpus, long ramMiB, String java, String loadAverage) {

    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB");

    public static Machine current() {
        long ram = 0;
        try {
            ram = memTotalMiB(Files.readString(Path.of("/proc/meminfo"))).orElse(0L);
        } catch (IOException | RuntimeException e) {
            // Not Linux: the RAM is left unknown rather than guessed.
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            // Not Linux: unknown.
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), ram,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), load);
    }

    static Optional<Long> memTotalMiB(String meminfo) {
        Matcher m = MEM_TOTAL.matcher(meminfo);
        return m.find() ? Optional.of(Long.parseLong(m.group(1)) / 1024) : Optional.empty();
    }

    public String describe() {
        return cpus + " CPUs, " + (ramMiB > 0 ? ramMiB + " MiB RAM" : "RAM unknown") + ", " + java + ", load average " + loadAverage;
    }
}
