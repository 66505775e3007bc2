package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.election.LeaseSpread;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Row 4: the agent as it ships (the image's JVM flags, {@code java -jar ddbstream-scaler.jar run}), one ScaledObject
 * polling every 5 s, sampled for {@code --duration}: RSS, heap used and threads at the end, the peak RSS, CPU, and the
 * time from process start to the first decision. Then what the memory goes to: heap, metaspace, code cache, threads,
 * classes, and with {@code --nmt} the JVM's native memory by category.
 * <p>In the same run: bare camel-main's first tick ({@link CamelFloor}), the ratio of the agent's first scale write
 * to it, and a standby: a second agent with leader election on whose ScaledObject's Lease another (simulated) pod
 * holds and renews, so it never polls.
 */
public final class FootprintBenchmark implements BenchScenario {

    static final double RSS_TARGET_MIB = 128;
    static final double MIB = 1024.0 * 1024.0;
    static final double STANDBY_TARGET_MIB = 100;
    static final double FLOOR_RATIO_TARGET = 2.0;
    static final String HOLDER_POD = "agent-elsewhere";
    static final String STANDBY_POD = "agent-standby";
    static final Duration FIRST_DECISION_TARGET = Duration.ofSeconds(3);
    static final int POLLING_INTERVAL = 5;

    @Override
    public String name() {
        return "footprint";
    }

    @Override
    public String description() {
        return "RSS, heap, threads and time to first decision of the shipped agent (separate JVM), over --duration";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        if (!AgentJar.usable(settings, out, name())) {
            return List.of(Figure.notRun(4, "footprint", "no agent jar"));
        }
        Path work = Files.createTempDirectory("bench-footprint");
        List<String> extra = new ArrayList<>(settings.agentJvmFlags());
        if (settings.nativeMemoryTracking()) {
            extra.add("-XX:NativeMemoryTracking=summary");
        }
        // The floor first, alone on the machine, with the same java, jar, lib/ and flags.
        CamelFloor.Reading floor = CamelFloor.measure(AgentJar.java(), settings.agentJar(), Files.createDirectories(work.resolve("floor")),
                Duration.ofSeconds(15));
        out.printf("footprint: bare camel-main (one YAML timer route): first tick %s, after %d s RSS %.1f MiB, %d threads%n",
                floor.firstTick().map(FootprintBenchmark::seconds).orElse("none"), floor.after().toSeconds(),
                floor.status().rssMiB(), floor.status().threads());
        // 4 shards at 2 per replica and 1 replica: the first decision writes /scale (2 replicas), timestamped there too.
        try (SimulatedFleet fleet = new SimulatedFleet(work, 1, POLLING_INTERVAL, 2, false, 4, 1);
             ExternalAgent agent = ExternalAgent.start(AgentJar.launch(settings, fleet, work, extra));
             Standby standby = new Standby(fleet, AgentJar.launch(settings, fleet, work, extra), work, out)) {
            out.printf("footprint: agent pid %d, JAVA_TOOL_OPTIONS=\"%s\"%s, one ScaledObject every %d s, %d s (log %s)%n",
                    agent.pid(), ShippedJvm.JAVA_TOOL_OPTIONS, extra.isEmpty() ? "" : " " + String.join(" ", extra),
                    POLLING_INTERVAL, settings.footprintDuration().toSeconds(), agent.logFile());
            List<AgentSample> samples = sample(agent, settings, out, standby);
            if (samples.isEmpty() || !agent.isAlive()) {
                out.println("footprint: the agent stopped; its last lines:");
                agent.tail().forEach(l -> out.println("  " + l));
                return List.of(new Figure(4, "footprint", "agent exited", "runs", Figure.Verdict.MISSED));
            }
            Optional<Instant> firstPut = fleet.kube.dispatcher().requests("PUT", SimulatedFleet.scalePath(FleetYaml.deployment(1)))
                    .stream().map(r -> r.at()).min(Instant::compareTo);
            Breakdown breakdown = Breakdown.of(agent, samples.get(samples.size() - 1), AgentJar.java());
            breakdown.print(out);
            List<Figure> figures = new ArrayList<>(figures(agent, samples, firstPut, breakdown));
            figures.addAll(floorFigures(agent, firstPut, floor));
            figures.addAll(standby.figures(out));
            if (settings.image() != null) {
                figures.addAll(image(settings, work, out));
            }
            return figures;
        }
    }

    /** The same leader from the Docker image (its own flags), against fresh simulators, for --duration. */
    static List<Figure> image(BenchSettings settings, Path work, PrintStream out) throws Exception {
        String image = settings.image();
        if (!Docker.hasImage(image)) {
            out.println("footprint: image " + image + ": no such image or no docker daemon (scripts/build-image.sh makes it)");
            return List.of(Figure.notRun(4, "image " + image, "no image or no docker"));
        }
        Path dir = Files.createDirectories(work.resolve("image"));
        // The container runs as 10001: it must read the trigger files and the kubeconfig in this folder.
        java.util.Set<java.nio.file.attribute.PosixFilePermission> open =
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
        Files.setPosixFilePermissions(work, open);
        Files.setPosixFilePermissions(dir, open);
        try (SimulatedFleet fleet = new SimulatedFleet(dir, 1, POLLING_INTERVAL, 2, false, 4, 1)) {
            try (var files = Files.walk(dir)) {
                for (Path f : files.toList()) {
                    Files.setPosixFilePermissions(f, Files.isDirectory(f) ? open
                            : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            return image(settings, image, fleet, dir, out);
        }
    }

    private static List<Figure> image(BenchSettings settings, String image, SimulatedFleet fleet, Path dir, PrintStream out)
            throws Exception {
        try (ExternalAgent agent = ExternalAgent.start(AgentJar.launch(settings, fleet, dir, List.of())
                .inImage(image, ExternalAgent.freePort(), dir))) {
            out.printf("footprint: image %s, one ScaledObject every %d s, %d s (log %s)%n", image, POLLING_INTERVAL,
                    settings.footprintDuration().toSeconds(), agent.logFile());
            List<AgentSample> samples = sample(agent, settings, out, null);
            if (samples.isEmpty() || !agent.isAlive()) {
                agent.tail().forEach(l -> out.println("  image: " + l));
                return List.of(new Figure(4, "image " + image, "agent exited", "runs", Figure.Verdict.MISSED));
            }
            AgentSample last = samples.get(samples.size() - 1);
            Optional<Instant> firstPut = fleet.kube.dispatcher().requests("PUT", SimulatedFleet.scalePath(FleetYaml.deployment(1)))
                    .stream().map(r -> r.at()).min(Instant::compareTo);
            double peak = samples.stream().mapToDouble(x -> x.proc().rssMiB()).max().orElse(0);
            return List.of(
                    new Figure(4, "image: RSS after " + last.at().toSeconds() + " s (peak)",
                            String.format("%.1f MiB (%.1f)", last.proc().rssMiB(), peak), "<= 128 MiB",
                            Figure.Verdict.of(peak <= RSS_TARGET_MIB)),
                    Figure.info(4, "image: threads; heap used", last.proc().threads() + "; "
                            + last.memoryUsedMiB("area", "heap").map(h -> String.format("%.1f MiB", h)).orElse("?")),
                    Figure.info(4, "image: docker run -> first PUT /scale",
                            firstPut.map(t -> seconds(Duration.between(agent.startedAt(), t))).orElse("none")));
        }
    }

    static String seconds(Duration d) {
        return String.format("%.2f s", d.toMillis() / 1000.0);
    }

    static List<Figure> floorFigures(ExternalAgent agent, Optional<Instant> firstPut, CamelFloor.Reading floor) {
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.info(4, "bare camel-main: first tick; RSS, threads after " + floor.after().toSeconds() + " s",
                floor.firstTick().map(FootprintBenchmark::seconds).orElse("none")
                        + String.format("; %.1f MiB, %d", floor.status().rssMiB(), floor.status().threads())));
        Optional<Double> ratio = firstPut.flatMap(put -> floor.firstTick().map(tick ->
                Duration.between(agent.startedAt(), put).toMillis() / (double) Math.max(1, tick.toMillis())));
        figures.add(new Figure(4, "first PUT /scale / bare camel-main first tick", ratio.map(r -> String.format("%.2f", r)).orElse("none"),
                "<= 2.0", Figure.Verdict.of(ratio.map(r -> r <= FLOOR_RATIO_TARGET).orElse(false))));
        return figures;
    }

    /**
     * A second agent, leader election on, that never leads: the Lease of the only ScaledObject is held by another pod
     * (Running, Ready, the candidate labels) whose membership Lease this bench renews every 2 s, as that pod's agent
     * would (election/LeaseSpread: a holder whose membership is fresh keeps its ScaledObjects).
     */
    static final class Standby implements AutoCloseable {
        private final SimulatedFleet fleet;
        private final ExternalAgent.Launch launch;
        private final Path work;
        private final PrintStream out;
        private final java.util.concurrent.ScheduledExecutorService renewer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private ExternalAgent agent;

        Standby(SimulatedFleet fleet, ExternalAgent.Launch leaderLaunch, Path work, PrintStream out) {
            this.fleet = fleet;
            this.launch = leaderLaunch;
            this.work = work;
            this.out = out;
        }

        private static io.fabric8.kubernetes.api.model.coordination.v1.Lease lease(String ns, String name, String kind,
                                                                                  String holder) {
            java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
            return new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns)
                    .addToLabels(io.ddbstreamscaler.election.LeaseSpread.LEASE_LABEL, kind).endMetadata()
                    .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withAcquireTime(now)
                    .withRenewTime(now).withLeaseTransitions(0).endSpec().build();
        }

        void start() throws IOException {
            String ns = FleetYaml.NAMESPACE;
            fleet.kube.createPod(ns, HOLDER_POD, io.ddbstreamscaler.election.LeaseSpread.CANDIDATE_LABELS, null);
            fleet.kube.createPod(ns, STANDBY_POD, io.ddbstreamscaler.election.LeaseSpread.CANDIDATE_LABELS, null);
            String lease = io.ddbstreamscaler.election.LeaseNames.lease(ns, FleetYaml.scaledObject(1));
            String membership = io.ddbstreamscaler.election.LeaseSpread.MEMBER_PREFIX + HOLDER_POD;
            fleet.kube.client().leases().inNamespace(ns).resource(lease(ns, lease,
                    io.ddbstreamscaler.election.LeaseSpread.SCALEDOBJECT, HOLDER_POD)).create();
            fleet.kube.client().leases().inNamespace(ns).resource(lease(ns, membership,
                    io.ddbstreamscaler.election.LeaseSpread.MEMBER, HOLDER_POD)).create();
            renewer.scheduleWithFixedDelay(() -> {
                try {
                    fleet.kube.client().leases().inNamespace(ns).withName(membership).edit(l -> {
                        l.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
                        return l;
                    });
                } catch (RuntimeException e) {
                    out.println("footprint: standby: renewing the holder's Lease failed: " + e.getMessage());
                }
            }, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
            Path dir = Files.createDirectories(work.resolve("standby"));
            agent = ExternalAgent.start(launch.asPod(STANDBY_POD, ns, ExternalAgent.freePort(), dir));
            out.printf("footprint: standby agent pid %d (pod %s, Lease %s held by %s), log %s%n", agent.pid(), STANDBY_POD,
                    lease, HOLDER_POD, agent.logFile());
        }

        boolean started() {
            return agent != null;
        }

        List<Figure> figures(PrintStream out) throws IOException {
            if (agent == null || !agent.isAlive()) {
                if (agent != null) {
                    agent.tail().forEach(l -> out.println("  standby: " + l));
                }
                return List.of(new Figure(4, "standby RSS", agent == null ? "not started" : "exited", "<= 100 MiB",
                        Figure.Verdict.MISSED));
            }
            AgentSample s = AgentSample.take(agent);
            double polls = s.metrics().map(m -> m.sum("ddbstream_scaler_polls_total", java.util.Map.of())).orElse(-1.0);
            Optional<Long> classes = Jcmd.besides(AgentJar.java()).run(agent.pid(), "PerfCounter.print").flatMap(Jcmd::liveClasses);
            out.println("footprint: standby: " + s.line() + ", polls " + polls);
            String after = "after " + s.at().toSeconds() + " s";
            return List.of(
                    new Figure(4, "standby RSS " + after + " (Lease held elsewhere)", String.format("%.1f MiB", s.proc().rssMiB()),
                            "<= 100 MiB", Figure.Verdict.of(s.proc().rssMiB() <= STANDBY_TARGET_MIB)),
                    Figure.info(4, "standby threads, classes, polls made", s.proc().threads() + ", "
                            + classes.map(String::valueOf).orElse("?") + ", " + (long) polls));
        }

        @Override
        public void close() throws InterruptedException {
            renewer.shutdownNow();
            if (agent != null) {
                agent.close();
            }
        }
    }

    private static List<AgentSample> sample(ExternalAgent agent, BenchSettings settings, PrintStream out, Standby standby)
            throws Exception {
        List<AgentSample> samples = new ArrayList<>();
        Instant end = agent.startedAt().plus(settings.footprintDuration());
        Instant nextLine = Instant.now();
        while (agent.isAlive()) {
            AgentSample s = AgentSample.take(agent);
            samples.add(s);
            // The standby starts once the leader has decided, so that the two starts do not share the 2 cores.
            if (standby != null && !standby.started() && agent.firstDecisionLine().isPresent()) {
                standby.start();
            }
            if (!Instant.now().isBefore(nextLine)) {
                out.println("footprint: " + s.line());
                nextLine = Instant.now().plusSeconds(60);
            }
            Duration left = Duration.between(Instant.now(), end);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            Waits.sleep(left.compareTo(settings.sampleEvery()) < 0 ? left : settings.sampleEvery());
        }
        if (!samples.isEmpty()) {
            out.println("footprint: " + samples.get(samples.size() - 1).line() + "  (last)");
        }
        return samples;
    }

    static List<Figure> figures(ExternalAgent agent, List<AgentSample> samples, Optional<Instant> firstPut, Breakdown breakdown) {
        AgentSample last = samples.get(samples.size() - 1);
        double peak = samples.stream().mapToDouble(s -> s.proc().rssMiB()).max().orElse(0);
        List<Figure> figures = new ArrayList<>();
        String after = "after " + last.at().toSeconds() + " s";
        figures.add(new Figure(4, "RSS " + after + " (peak)", String.format("%.1f MiB (%.1f)", last.proc().rssMiB(), peak),
                "<= 128 MiB", Figure.Verdict.of(peak <= RSS_TARGET_MIB)));
        figures.add(Figure.info(4, "heap used " + after,
                last.memoryUsedMiB("area", "heap").map(h -> String.format("%.1f MiB of %.0f (max); live after the last full GC %s",
                        h, last.metrics().map(m -> m.sum("jvm_memory_max_bytes", Map.of("area", "heap")) / MIB).orElse(0.0),
                        last.metrics().map(m -> String.format("%.1f MiB", m.sum("jvm_gc_live_data_size_bytes", Map.of()) / MIB))
                                .orElse("?"))).orElse("unknown")));
        figures.add(Figure.info(4, "threads " + after, Integer.toString(last.proc().threads())));
        figures.add(Figure.info(4, "CPU over the run (average of one core)", String.format("%.1f s (%.2f %%)",
                last.cpuSeconds(), 100 * last.cpuSeconds() / Math.max(1, last.at().toMillis() / 1000.0))));
        Optional<Duration> toDecision = agent.firstDecisionLine().map(t -> Duration.between(agent.startedAt(), t));
        figures.add(new Figure(4, "process start -> first decision (log line)",
                toDecision.map(d -> String.format("%.2f s", d.toMillis() / 1000.0)).orElse("none"),
                "<= 3 s on 2 cores", Figure.Verdict.of(toDecision.map(d -> d.compareTo(FIRST_DECISION_TARGET) <= 0).orElse(false))));
        agent.startedLine().ifPresent(t -> figures.add(Figure.info(4, "process start -> 'agent started' log line",
                String.format("%.2f s", Duration.between(agent.startedAt(), t).toMillis() / 1000.0))));
        figures.add(Figure.info(4, "process start -> first PUT /scale",
                firstPut.map(t -> String.format("%.2f s", Duration.between(agent.startedAt(), t).toMillis() / 1000.0)).orElse("none")));
        figures.addAll(breakdown.figures());
        return figures;
    }

    /** Where the resident memory goes, as far as the JVM can say. */
    record Breakdown(Map<String, Double> pools, Optional<Long> classes, Map<String, Long> threadGroups,
                     List<Jcmd.NmtCategory> nmt) {

        static Breakdown of(ExternalAgent agent, AgentSample last, String java) {
            Map<String, Double> pools = new java.util.LinkedHashMap<>();
            last.metrics().ifPresent(m -> m.find("jvm_memory_used_bytes", Map.of()).forEach(s ->
                    pools.merge(s.labels().getOrDefault("id", "?"), s.value() / (1024.0 * 1024.0), Double::sum)));
            Jcmd jcmd = Jcmd.besides(java);
            Optional<Long> classes = jcmd.run(agent.pid(), "PerfCounter.print").flatMap(Jcmd::liveClasses);
            Map<String, Long> threads = jcmd.run(agent.pid(), "Thread.print").map(Jcmd::threadGroups).orElse(Map.of());
            List<Jcmd.NmtCategory> nmt = jcmd.run(agent.pid(), "VM.native_memory summary").map(Jcmd::nmtCategories)
                    .orElse(List.of());
            return new Breakdown(pools, classes, threads, nmt);
        }

        void print(PrintStream out) {
            out.println("footprint: JVM memory pools in use (MiB): " + pools.entrySet().stream()
                    .map(e -> String.format("%s %.1f", e.getKey(), e.getValue())).toList());
            classes.ifPresent(c -> out.println("footprint: classes loaded: " + c));
            out.println("footprint: threads by name (# = a number): " + threadGroups);
            if (!nmt.isEmpty()) {
                out.println("footprint: native memory committed (NMT, KiB): " + nmt.stream()
                        .map(c -> c.name() + " " + c.committedKiB()).toList());
            }
        }

        List<Figure> figures() {
            List<Figure> figures = new ArrayList<>();
            double nonHeap = pools.entrySet().stream().filter(e -> !e.getKey().startsWith("Tenured")
                    && !e.getKey().startsWith("Eden") && !e.getKey().startsWith("Survivor")).mapToDouble(Map.Entry::getValue).sum();
            if (!pools.isEmpty()) {
                figures.add(Figure.info(4, "  metaspace + class space + code cache in use", String.format("%.1f MiB (%s)",
                        nonHeap, pools.entrySet().stream().filter(e -> e.getKey().contains("Metaspace")
                                        || e.getKey().contains("Class") || e.getKey().contains("Code"))
                                .map(e -> String.format("%s %.1f", e.getKey(), e.getValue())).reduce((a, b) -> a + ", " + b).orElse(""))));
            }
            classes.ifPresent(c -> figures.add(Figure.info(4, "  classes loaded", Long.toString(c))));
            if (!nmt.isEmpty()) {
                figures.add(Figure.info(4, "  largest NMT categories (committed)", nmt.stream().limit(4)
                        .map(c -> String.format("%s %.1f MiB", c.name(), c.committedKiB() / 1024.0))
                        .reduce((a, b) -> a + ", " + b).orElse("")));
            }
            return figures;
        }
    }
}
