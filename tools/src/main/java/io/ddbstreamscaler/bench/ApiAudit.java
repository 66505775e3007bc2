package io.ddbstreamscaler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What one identity asked the real API server, from its audit log ({@code audit.k8s.io/v1} Events as JSON lines, one
 * {@code ResponseComplete} line per request: docs/local-cluster.md, "The audit log"): requests by verb and resource,
 * and for every scale subresource the times it was read and written.
 *
 * @param byVerb      "get deployments/scale" → requests (a non-resource request is keyed by its URI)
 * @param scaleReads  target name → times of its {@code get …/scale}, in log order
 * @param scaleWrites target name → times of its {@code update} or {@code patch …/scale}
 * @param first       the first request's time, null when there was none
 * @param last        the last request's time, null when there was none
 */
public record ApiAudit(Map<String, Long> byVerb, Map<String, List<Instant>> scaleReads,
                       Map<String, List<Instant>> scaleWrites, Instant first, Instant last) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The requests of {@code user} received from {@code from} until {@code until} (the run's: not those while the bench
     * collects its figures), read from every file of the audit log's folder: the API server rotates {@code audit.log}
     * to {@code audit-<time>.log} at 100 MB, even with {@code --audit-log-maxsize=0} (its log writer's default size).
     */
    public static ApiAudit read(Path auditLog, String user, Instant from, Instant until) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = java.nio.file.Files.list(auditLog.getParent())) {
            String name = auditLog.getFileName().toString();
            String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
            files = listing.filter(f -> f.getFileName().toString().startsWith(stem + "-") || f.equals(auditLog))
                    .sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            try (BufferedReader in = java.nio.file.Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                in.lines().filter(l -> l.contains(user)).forEach(lines::add);
            }
        }
        return parse(lines.stream(), user, from, until);
    }

    static ApiAudit parse(Stream<String> lines, String user, Instant until) {
        return parse(lines, user, Instant.MIN, until);
    }

    static ApiAudit parse(Stream<String> lines, String user, Instant from, Instant until) {
        Map<String, Long> byVerb = new TreeMap<>();
        Map<String, List<Instant>> reads = new HashMap<>();
        Map<String, List<Instant>> writes = new HashMap<>();
        Instant first = null;
        Instant last = null;
        for (String line : (Iterable<String>) lines::iterator) {
            // Cheap filters first: a run's log holds the control plane's requests too.
            if (line.isBlank() || !line.contains(user) || !line.contains("\"ResponseComplete\"")) {
                continue;
            }
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException notJson) {
                continue; // a line cut by a write in progress at the end of the log
            }
            if (!"ResponseComplete".equals(e.path("stage").asText()) || !user.equals(e.path("user").path("username").asText())) {
                continue;
            }
            Instant at = Instant.parse(e.path("requestReceivedTimestamp").asText());
            if (at.isBefore(from) || !at.isBefore(until)) {
                continue;
            }
            String verb = e.path("verb").asText();
            JsonNode ref = e.path("objectRef");
            String resource = ref.path("resource").asText("");
            String sub = ref.path("subresource").asText("");
            String key = verb + " " + (resource.isEmpty() ? e.path("requestURI").asText() : resource + (sub.isEmpty() ? "" : "/" + sub));
            byVerb.merge(key, 1L, Long::sum);
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
            if ("scale".equals(sub)) {
                String name = ref.path("name").asText();
                if ("get".equals(verb)) {
                    reads.computeIfAbsent(name, n -> new ArrayList<>()).add(at);
                } else if ("update".equals(verb) || "patch".equals(verb)) {
                    writes.computeIfAbsent(name, n -> new ArrayList<>()).add(at);
                }
            }
        }
        return new ApiAudit(byVerb, reads, writes, first, last);
    }

    public long total() {
        return byVerb.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests whose verb is {@code verb}, whatever the resource. */
    public long ofVerb(String verb) {
        return byVerb.entrySet().stream().filter(e -> e.getKey().startsWith(verb + " ")).mapToLong(Map.Entry::getValue).sum();
    }

    /** The most reads of one target's scale. */
    public int maxReads() {
        return scaleReads.values().stream().mapToInt(List::size).max().orElse(0);
    }

    /** The most writes of one target's scale. */
    public int maxWrites() {
        return scaleWrites.values().stream().mapToInt(List::size).max().orElse(0);
    }

    /** The fewest reads of one target's scale among {@code targets} (0 when one was never read). */
    public int fewestReads(List<String> targets) {
        return targets.stream().mapToInt(t -> scaleReads.getOrDefault(t, List.of()).size()).min().orElse(0);
    }

    /**
     * The shortest time between two reads of the same target's scale, empty when no target was read twice. A second
     * read in the same poll shows as a gap near zero; a late poll followed by one on time as a gap somewhat short of the
     * interval.
     */
    public java.util.Optional<Duration> shortestReadGap() {
        Duration min = null;
        for (List<Instant> t : scaleReads.values()) {
            List<Instant> sorted = t.stream().sorted().toList();
            for (int i = 1; i < sorted.size(); i++) {
                Duration d = Duration.between(sorted.get(i - 1), sorted.get(i));
                min = min == null || d.compareTo(min) < 0 ? d : min;
            }
        }
        return java.util.Optional.ofNullable(min);
    }

    /** At most one per interval: no target more than ⌈window / interval⌉ times in a window of the run. */
    public static int allowedPerTarget(Duration window, Duration interval) {
        return (int) Math.ceil(window.toMillis() / (double) interval.toMillis());
    }

    /** e.g. "get deployments/scale 118.2/s, list pods 0.1/s" over {@code seconds}, the busiest first. */
    public String perSecond(double seconds) {
        List<String> parts = new ArrayList<>();
        byVerb.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> parts.add(String.format("%s %.2f/s", e.getKey(), e.getValue() / seconds)));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
