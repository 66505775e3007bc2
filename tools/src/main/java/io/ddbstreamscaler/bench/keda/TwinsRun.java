package io.ddbstreamscaler.bench.keda;

import io.ddbstreamscaler.bench.Waits;
import io.ddbstreamscaler.bench.keda.ReplicaRecorder.Point;
import io.ddbstreamscaler.bench.keda.TwinCase.Expect;
import io.ddbstreamscaler.bench.keda.TwinCase.Op;
import io.ddbstreamscaler.bench.keda.TwinCase.Step;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One side-by-side run of several {@link TwinCase}s at once on a {@link KedaBed}: an AWS simulator per case (its clock
 * can move a day ahead, it can refuse connections), the twins, KEDA's ScaledObjects applied, one agent process with a
 * trigger file per case, then every case's steps in a thread of its own. Each step waits for both twins, so the
 * sequences of replica counts do not depend on timing; the recorder keeps when each count was seen.
 */
public final class TwinsRun {

    /** How long a twin gets to reach a step's count: KEDA+HPA needs up to pollingInterval + 15 s per move. */
    static final Duration REACH_LIMIT = Duration.ofMinutes(3);
    /** After the last step, both twins must keep their counts this long: no late move goes unseen. */
    static final Duration QUIET = Duration.ofSeconds(20);
    /**
     * Before a step's change, both twins must have kept their counts this long: past the 15 s periods of the HPA's
     * rate limits (the longest any case uses), so a change meets both with their last scale out of the window. Without
     * it the agent, polling every 5 s, sees its own scale-up of a moment ago inside the window and takes a smaller
     * step than the HPA, which syncs every 15 s and never does: the same rule, met at another time.
     */
    static final Duration SETTLE = Duration.ofSeconds(16);

    /** When a step's change was made. */
    public record StepMark(String label, Op op, Instant at) {
    }

    /**
     * What one case did.
     *
     * @param failure null when every step's expectations were met; else the first that was not
     * @param aws     every request the case's simulator answered (KEDA's twin signs with other keys than the agent's)
     */
    public record CaseOutcome(TwinCase twinCase, List<Point> agent, List<Point> keda, List<StepMark> marks,
                              String failure, Instant start, Instant end, List<LoggedRequest> aws) {

        public List<Integer> agentSequence() {
            return agent.stream().map(Point::replicas).toList();
        }

        public List<Integer> kedaSequence() {
            return keda.stream().map(Point::replicas).toList();
        }
    }

    /** The whole run: the cases, the agent's log, and when it ran. */
    public record Result(List<CaseOutcome> outcomes, List<String> agentLog, Instant start, Instant end) {

        public CaseOutcome outcome(String name) {
            return outcomes.stream().filter(o -> o.twinCase().name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no case " + name + " in this run"));
        }
    }

    private final KedaBed bed;
    private final Path agentJar;
    private final Path work;
    private final PrintStream log;
    private final TwinManifests manifests;

    /**
     * @param agentJar target/ddbstream-scaler.jar
     * @param work     a folder for the agent's trigger files and log
     */
    public TwinsRun(KedaBed bed, Path agentJar, Path work, PrintStream log) {
        this.bed = bed;
        this.agentJar = agentJar;
        this.work = work;
        this.log = log;
        this.manifests = new TwinManifests(bed.cluster().repo());
    }

    /** A case's own AWS: a simulator on a clock that can move ahead, with the case's table. */
    private record CaseAws(AwsSimulator simulator, ShiftableClock clock) {
    }

    public Result run(List<TwinCase> cases) throws IOException, InterruptedException {
        Map<String, CaseAws> aws = new LinkedHashMap<>();
        AgentProcess agent = null;
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            for (TwinCase c : cases) {
                ShiftableClock clock = new ShiftableClock();
                AwsSimulator sim = AwsSimulator.start(clock, TwinManifests.REGION, 0);
                sim.state().createTable(TwinManifests.TABLE, c.initialShards());
                aws.put(c.name(), new CaseAws(sim, clock));
            }
            createTwins(cases);
            Path triggers = AgentProcess.emptyTriggerFolder(work.resolve("triggers"));
            for (TwinCase c : cases) {
                Files.writeString(triggers.resolve(c.name() + ".yaml"),
                        manifests.forAgent(c, aws.get(c.name()).simulator().endpoint(), null), StandardCharsets.UTF_8);
                bed.cluster().apply(manifests.forKeda(c, aws.get(c.name()).simulator().endpoint(), null));
            }
            agent = startAgent(cases, triggers);
            log.printf("twins run: %d cases, agent pid %d, KEDA's ScaledObjects applied%n", cases.size(), agent.pid());
            Instant start = Instant.now();
            List<CompletableFuture<CaseOutcome>> running = new ArrayList<>();
            for (TwinCase c : cases) {
                running.add(CompletableFuture.supplyAsync(() -> runCase(c, aws.get(c.name()), triggers, threads), threads));
            }
            List<CaseOutcome> outcomes = new ArrayList<>();
            for (CompletableFuture<CaseOutcome> f : running) {
                outcomes.add(f.join());
            }
            return new Result(outcomes, agent.lines(), start, Instant.now());
        } finally {
            threads.shutdownNow();
            if (agent != null) {
                agent.close();
            }
            aws.values().forEach(a -> a.simulator().close());
        }
    }

    /** Deletes what {@link #run} created in the cluster (the KEDA namespaces, the agent's twins and their Role). */
    public void cleanUp(List<TwinCase> cases) throws IOException {
        for (TwinCase c : cases) {
            bed.cluster().kubectl("delete", "namespace", c.kedaNamespace(), "--ignore-not-found", "--wait=false");
            bed.cluster().kubectl("delete", "deployment", "-n", TwinManifests.AGENT_NAMESPACE, c.agentTarget(),
                    "--ignore-not-found");
        }
        bed.cluster().kubectl("delete", "role,rolebinding", "-n", TwinManifests.AGENT_NAMESPACE,
                "ddbstream-scaler-twins", "--ignore-not-found");
    }

    private void createTwins(List<TwinCase> cases) throws IOException, InterruptedException {
        StringBuilder all = new StringBuilder();
        for (TwinCase c : cases) {
            all.append(TwinManifests.namespace(c.kedaNamespace())).append("---\n");
            all.append(TwinManifests.deployment(c.kedaNamespace(), c.kedaTarget())).append("---\n");
            all.append(TwinManifests.deployment(TwinManifests.AGENT_NAMESPACE, c.agentTarget())).append("---\n");
        }
        all.append(agentTwinsRole(cases));
        bed.cluster().apply(all.toString());
        for (TwinCase c : cases) {
            for (String[] twin : new String[][] {{c.kedaNamespace(), c.kedaTarget()},
                    {TwinManifests.AGENT_NAMESPACE, c.agentTarget()}}) {
                if (!bed.recorder().awaitReplicas(twin[0], twin[1], 1, Duration.ofMinutes(1))) {
                    throw new IOException("twin " + twin[0] + "/" + twin[1] + " not seen at 1 replica within a minute");
                }
            }
        }
    }

    /**
     * The shipped Role grants the scale subresource of nginx-deployment only (the spec's example target), by name: a
     * user grants theirs the same way. This Role does it for the agent's twins, bound to the same ServiceAccount.
     */
    static String agentTwinsRole(List<TwinCase> cases) {
        return TwinManifests.scaleRole("ddbstream-scaler-twins", cases.stream().map(TwinCase::agentTarget).toList());
    }

    private AgentProcess startAgent(List<TwinCase> cases, Path triggers) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>(bed.agentEnvironment());
        Optional<TwinCase> guarded = cases.stream().filter(TwinCase::sidecarGuard).findFirst();
        if (guarded.isPresent()) {
            // The agent believes it runs in the guarded twin's Pod (the Downward API's variables): the sidecar guard
            // reads that Pod's owners through the API server and finds the twin's Deployment. Election stays off.
            // The twin is at 1 replica already; its Pod comes a moment later, from the ReplicaSet controller.
            String target = guarded.get().agentTarget();
            Supplier<Optional<Pod>> firstPod = () -> bed.admin().pods()
                    .inNamespace(TwinManifests.AGENT_NAMESPACE).withLabel("app", target).list().getItems().stream()
                    .findFirst();
            if (!Waits.until(Duration.ofMinutes(2), () -> firstPod.get().isPresent())) {
                throw new IOException("no Pod of " + target + " within 2 minutes of its Deployment at 1 replica");
            }
            Pod pod = firstPod.get().orElseThrow();
            env.put("POD_NAME", pod.getMetadata().getName());
            env.put("POD_NAMESPACE", TwinManifests.AGENT_NAMESPACE);
        }
        AgentProcess agent = AgentProcess.start(AgentProcess.Launch.of(agentJar,
                        bed.cluster().repo().resolve("routes"), triggers, bed.serviceAccountKubeconfig(),
                        work.resolve("agent"))
                .withEnvironment(env));
        agent.awaitLine(l -> l.contains("agent started:"), Duration.ofMinutes(2));
        return agent;
    }

    private CaseOutcome runCase(TwinCase c, CaseAws aws, Path triggers, ExecutorService threads) {
        Instant start = Instant.now();
        List<StepMark> marks = new ArrayList<>();
        String failure = null;
        try {
            for (Step step : c.steps()) {
                if (!marks.isEmpty()) {
                    String moved = join("agent", settle(TwinManifests.AGENT_NAMESPACE, c.agentTarget()),
                            "KEDA", settle(c.kedaNamespace(), c.kedaTarget()));
                    if (moved != null) {
                        failure = "before step \"" + step.label() + "\": " + moved;
                        break;
                    }
                }
                marks.add(new StepMark(step.label(), step.op(), Instant.now()));
                apply(c, step.op(), aws, triggers);
                CompletableFuture<String> agent = CompletableFuture.supplyAsync(
                        () -> expect(TwinManifests.AGENT_NAMESPACE, c.agentTarget(), step.agent()), threads);
                CompletableFuture<String> keda = CompletableFuture.supplyAsync(
                        () -> expect(c.kedaNamespace(), c.kedaTarget(), step.keda()), threads);
                String missed = join("agent", agent.join(), "KEDA", keda.join());
                if (missed != null) {
                    failure = "step \"" + step.label() + "\": " + missed;
                    break;
                }
            }
            if (failure == null) {
                CompletableFuture<String> agent = CompletableFuture.supplyAsync(
                        () -> quiet(TwinManifests.AGENT_NAMESPACE, c.agentTarget()), threads);
                CompletableFuture<String> keda = CompletableFuture.supplyAsync(
                        () -> quiet(c.kedaNamespace(), c.kedaTarget()), threads);
                String moved = join("agent", agent.join(), "KEDA", keda.join());
                failure = moved == null ? null : "after the last step: " + moved;
            }
        } catch (IOException | RuntimeException e) {
            failure = "the case could not run: " + e;
        }
        Instant end = Instant.now();
        log.printf("  %-26s %s  agent %s  KEDA %s%n", c.name(), failure == null ? "done" : "FAILED: " + failure,
                bed.recorder().sequence(TwinManifests.AGENT_NAMESPACE, c.agentTarget()),
                bed.recorder().sequence(c.kedaNamespace(), c.kedaTarget()));
        return new CaseOutcome(c, bed.recorder().series(TwinManifests.AGENT_NAMESPACE, c.agentTarget()),
                bed.recorder().series(c.kedaNamespace(), c.kedaTarget()), marks, failure, start, end,
                aws.simulator().requests());
    }

    private void apply(TwinCase c, Op op, CaseAws aws, Path triggers) throws IOException {
        if (op instanceof Op.Split s) {
            aws.simulator().state().split(TwinManifests.TABLE, s.shards());
        } else if (op instanceof Op.ExpireClosedShards) {
            // A day and a second: every shard closed so far is past its 24 hours.
            aws.clock().advance(Duration.ofHours(24).plusSeconds(1));
            aws.simulator().state().expireClosedShards();
        } else if (op instanceof Op.AwsOutage) {
            aws.simulator().refuseConnections();
        } else if (op instanceof Op.DescribeStreamFails) {
            aws.simulator().faults().failFor("DescribeStream", Duration.ofDays(2), 500, "InternalServerError");
        } else if (op instanceof Op.AwsBack) {
            aws.simulator().faults().clear();
            aws.simulator().resume();
        } else if (op instanceof Op.PauseAt p) {
            bed.cluster().kubectl("annotate", "--overwrite", "-n", c.kedaNamespace(), "scaledobject",
                    TwinManifests.kedaScaledObjectName(c), "autoscaling.keda.sh/paused-replicas=" + p.replicas());
            // The agent reloads a changed trigger file by itself.
            Files.writeString(triggers.resolve(c.name() + ".yaml"),
                    manifests.forAgent(c, aws.simulator().endpoint(), p.replicas()), StandardCharsets.UTF_8);
        }
    }

    /** null when the twin did what was expected; else what it did instead. */
    private String expect(String namespace, String name, Expect expect) {
        try {
            if (expect instanceof Expect.Reach r) {
                return bed.recorder().awaitReplicas(namespace, name, r.replicas(), REACH_LIMIT) ? null
                        : "did not reach " + r.replicas() + " within " + REACH_LIMIT.toSeconds() + " s (at "
                        + bed.recorder().current(namespace, name).orElse(null) + ")";
            }
            Expect.Hold h = (Expect.Hold) expect;
            return bed.recorder().awaitDeparture(namespace, name, h.replicas(), h.during())
                    .map(p -> "left " + h.replicas() + " for " + p.replicas() + " within " + h.during().toSeconds() + " s")
                    .orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** null once the twin has kept its count for {@link #SETTLE} since its last change; else how it moved. */
    private String settle(String namespace, String name) {
        Instant last = bed.recorder().lastChange(namespace, name).orElse(Instant.EPOCH);
        Duration left = SETTLE.minus(Duration.between(last, Instant.now()));
        if (left.isNegative() || left.isZero()) {
            return null;
        }
        return expect(namespace, name, new Expect.Hold(bed.recorder().current(namespace, name).orElse(-1), left));
    }

    private String quiet(String namespace, String name) {
        int now = bed.recorder().current(namespace, name).orElse(-1);
        return expect(namespace, name, new Expect.Hold(now, QUIET));
    }

    private static String join(String a, String aMissed, String b, String bMissed) {
        if (aMissed == null && bMissed == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (aMissed != null) {
            parts.add(a + " " + aMissed);
        }
        if (bMissed != null) {
            parts.add(b + " " + bMissed);
        }
        return String.join("; ", parts);
    }
}
