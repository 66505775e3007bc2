package io.ddbstreamscaler.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Asks a running JVM about itself through {@code jcmd} (the JDK's, next to the {@code java} that runs the bench):
 * loaded classes, threads by name, and, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}, its native
 * memory by category. Each answer is optional: a JRE without jcmd only loses the breakdown.
 */
public final class Jcmd {

    /** One NMT category: committed KiB (what the process really uses, resident or not). */
    public record NmtCategory(String name, long committedKiB) {
    }

    private static final Pattern LOADED = Pattern.compile("(?m)^java\\.cls\\.loadedClasses=(\\d+)");
    private static final Pattern UNLOADED = Pattern.compile("(?m)^java\\.cls\\.unloadedClasses=(\\d+)");
    private static final Pattern THREAD = Pattern.compile("(?m)^\"(.*)\"\\s");
    private static final Pattern NMT = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    private final String jcmd;

    public Jcmd(String jcmd) {
        this.jcmd = jcmd;
    }

    /** The jcmd beside {@code javaCommand} (…/bin/java → …/bin/jcmd), else the one on the PATH. */
    public static Jcmd besides(String javaCommand) {
        java.nio.file.Path sibling = java.nio.file.Path.of(javaCommand).resolveSibling("jcmd");
        return new Jcmd(java.nio.file.Files.isExecutable(sibling) ? sibling.toString() : "jcmd");
    }

    public Optional<String> run(long pid, String command) {
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Classes loaded and not unloaded, from {@code PerfCounter.print}. */
    static Optional<Long> liveClasses(String perfCounters) {
        Matcher loaded = LOADED.matcher(perfCounters);
        Matcher unloaded = UNLOADED.matcher(perfCounters);
        if (!loaded.find()) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(loaded.group(1)) - (unloaded.find() ? Long.parseLong(unloaded.group(1)) : 0));
    }

    /**
     * Threads of {@code Thread.print} grouped by name with the numbers taken out ("vert.x-eventloop-thread-#"),
     * most numerous first.
     */
    static Map<String, Long> threadGroups(String threadDump) {
        Matcher m = THREAD.matcher(threadDump);
        Map<String, Long> counts = new LinkedHashMap<>();
        while (m.find()) {
            counts.merge(m.group(1).replaceAll("\\d+", "#"), 1L, Long::sum);
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** The categories of {@code VM.native_memory summary}, largest committed first. */
    static List<NmtCategory> nmtCategories(String summary) {
        Matcher m = NMT.matcher(summary);
        List<NmtCategory> categories = new java.util.ArrayList<>();
        while (m.find()) {
            categories.add(new NmtCategory(m.group(1).strip(), Long.parseLong(m.group(2))));
        }
        categories.sort(Comparator.comparingLong(NmtCategory::committedKiB).reversed());
        return categories;
    }
}
