package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.camel.AgentAssembly;
import io.ddbstreamscaler.camel.AgentOptions;
import io.ddbstreamscaler.camel.AgentPorts;
import io.ddbstreamscaler.camel.ScalerAgent;
import io.ddbstreamscaler.camel.EventsSink;
import io.ddbstreamscaler.scale.ClusterSecretSource;
import io.ddbstreamscaler.scale.Fabric8ScaleTarget;
import io.ddbstreamscaler.scale.KubeClients;
import io.ddbstreamscaler.election.LeaseHolder;
import io.ddbstreamscaler.election.LeaseSpread;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spread: 3 and then 5 agents (in this JVM, each a full agent with its own clients) share 60 ScaledObjects through
 * their Leases on the Kubernetes simulator, while the simulator's tables split so that writes happen. For each fleet:
 * Leases per agent once stable, how many move when an agent joins and when one leaves, the longest time a ScaledObject
 * had no live holder, and writes made by an agent that did not hold the Lease at the API server right after writing.
 */
public final class SpreadBenchmark implements BenchScenario {

    static final String NS = "bench";
    static final int SCALED_OBJECTS = 60;
    static final Duration LEASE = Duration.ofSeconds(15);
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/part-of", "ddbstream-scaler");

    @Override
    public String name() {
        return "spread";
    }

    @Override
    public String description() {
        return "3 and 5 agents sharing 60 ScaledObjects: Leases per agent, moves on a join and a leave, unowned time, "
                + "writes by non-holders";
    }

    /** Counts writes whose Lease, read right after the write, names another agent. */
    static final class AuditedTarget implements ScaleTarget {
        final ScaleTarget delegate;
        final LeaseHolder holder;
        final AtomicLong writes = new AtomicLong();
        final AtomicLong byNonHolder = new AtomicLong();

        AuditedTarget(ScaleTarget delegate, LeaseHolder holder) {
            this.delegate = delegate;
            this.holder = holder;
        }

        @Override
        public int currentReplicas(String namespace, ScaleTargetRef ref) {
            return delegate.currentReplicas(namespace, ref);
        }

        @Override
        public ScaleResult scale(String namespace, ScaleTargetRef ref, int desiredReplicas) {
            ScaleResult r = delegate.scale(namespace, ref, desiredReplicas);
            if (r.written()) {
                writes.incrementAndGet();
                String so = "so-" + ref.name().substring("reader-".length());
                if (!holder.holdsScaledObject(namespace, so)) {
                    byNonHolder.incrementAndGet();
                }
            }
            return r;
        }
    }

    private record Agent(String pod, ScalerAgent agent, AuditedTarget target) {
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        List<Figure> figures = new ArrayList<>();
        for (int agents : List.of(3, 5)) {
            figures.addAll(fleet(agents, settings, out));
        }
        return figures;
    }

    /** Where the agents' Kubernetes is: the simulator, or a real API server (the agents as the shipped ServiceAccount). */
    private interface Kube extends AutoCloseable {
        /** Full rights, for the bench's fixtures and its reading of the Leases. */
        KubernetesClient admin();

        void statefulSets(List<String> names) throws Exception;

        /** The kubeconfig the agents get, allowed to scale {@code targets}. */
        Path agentKubeconfig(Path work, List<String> targets) throws Exception;

        /** A Running, Ready pod for an agent (leader election counts only those). */
        void agentPod(String name);

        @Override
        void close() throws Exception;
    }

    private static Kube simulator() {
        KubeApiSimulator kube = KubeApiSimulator.start();
        return new Kube() {
            public KubernetesClient admin() {
                return kube.client();
            }

            public void statefulSets(List<String> names) {
                names.forEach(name -> kube.createStatefulSet(NS, name, 1, Map.of("app", name)));
            }

            public Path agentKubeconfig(Path work, List<String> targets) throws java.io.IOException {
                return kube.writeKubeconfig(work.resolve("kubeconfig"), NS);
            }

            public void agentPod(String name) {
                kube.createPod(NS, name, LABELS, null);
            }

            public void close() {
                kube.close();
            }
        };
    }

    /** The real API server: the previous fleet's agent Pods and Leases are deleted first, and again at the end. */
    private static Kube localCluster(Path dir) throws Exception {
        LocalCluster cluster = LocalCluster.open(dir);
        cluster.ensureNamespace(NS);
        cluster.clearAgents(NS, LABELS);
        return new Kube() {
            public KubernetesClient admin() {
                return cluster.admin();
            }

            public void statefulSets(List<String> names) throws Exception {
                cluster.createStatefulSets(NS, names, 1);
            }

            public Path agentKubeconfig(Path work, List<String> targets) throws Exception {
                return cluster.agentKubeconfig(NS, "statefulsets/scale", targets, work.resolve("kubeconfig"));
            }

            public void agentPod(String name) {
                cluster.createReadyPod(NS, name, LABELS);
            }

            public void close() throws InterruptedException {
                try {
                    cluster.clearAgents(NS, LABELS);
                } finally {
                    cluster.close();
                }
            }
        };
    }

    private List<Figure> fleet(int n, BenchSettings settings, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("bench-spread");
        String p = n + " agents: ";
        try (AwsSimulator aws = AwsSimulator.start();
             Kube kube = settings.localCluster() == null ? simulator() : localCluster(settings.localCluster())) {
            StringBuilder yaml = new StringBuilder("""
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: keys, namespace: bench}
                    stringData: {AWS_ACCESS_KEY_ID: AKIASPREAD0000000001, AWS_SECRET_ACCESS_KEY: spread-secret}
                    ---
                    apiVersion: keda.sh/v1alpha1
                    kind: TriggerAuthentication
                    metadata: {name: auth, namespace: bench}
                    spec:
                      secretTargetRef:
                      - {parameter: awsAccessKeyID, name: keys, key: AWS_ACCESS_KEY_ID}
                      - {parameter: awsSecretAccessKey, name: keys, key: AWS_SECRET_ACCESS_KEY}
                    """);
            List<String> readers = java.util.stream.IntStream.range(0, SCALED_OBJECTS).mapToObj(i -> "reader-" + i).toList();
            kube.statefulSets(readers);
            for (int i = 0; i < SCALED_OBJECTS; i++) {
                aws.state().createTable("t-" + i, 2);
                yaml.append("""
                        ---
                        apiVersion: keda.sh/v1alpha1
                        kind: ScaledObject
                        metadata: {name: so-%1$d, namespace: bench}
                        spec:
                          scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: reader-%1$d}
                          pollingInterval: 2
                          minReplicaCount: 1
                          maxReplicaCount: 1000
                          triggers:
                          - type: aws-dynamodb-stream
                            authenticationRef: {name: auth}
                            metadata: {awsRegion: us-east-1, awsEndpoint: "%2$s", tableName: t-%1$d, shardCount: "2"}
                        """.formatted(i, aws.endpoint()));
            }
            Path triggers = Files.createDirectories(work.resolve("triggers"));
            Files.writeString(triggers.resolve("fleet.yaml"), yaml.toString(), StandardCharsets.UTF_8);
            Path kubeconfig = kube.agentKubeconfig(work, readers);
            List<Agent> running = new ArrayList<>();
            Map<String, String> holders;
            try {
                for (int a = 0; a < n; a++) {
                    running.add(start("agent-" + a, kube, triggers, kubeconfig, settings));
                }
                Instant t0 = Instant.now();
                holders = awaitStable(kube.admin(), running, out, p + "start");
                out.printf("spread: %sstable %.1f s after start%n", p, Duration.between(t0, Instant.now()).toMillis() / 1000.0);
                var splits = aws.splitEvery("t-0", Duration.ofSeconds(3), 64);
                List<ScheduledSplit> more = new ArrayList<>();
                for (int i = 1; i < SCALED_OBJECTS; i += 7) {
                    more.add(new ScheduledSplit(aws.splitEvery("t-" + i, Duration.ofSeconds(5), 64)));
                }
                List<Figure> figures = new ArrayList<>();
                figures.add(shares(p + "Leases per agent once stable", holders, running, n));

                // A join.
                Agent joiner = start("agent-" + n, kube, triggers, kubeconfig, settings);
                running.add(joiner);
                Instant joined = Instant.now();
                Map<String, String> afterJoin = awaitStable(kube.admin(), running, out, p + "join");
                int joinMoves = moves(holders, afterJoin);
                int bound = (int) Math.ceil(SCALED_OBJECTS / (double) (n + 1)) + 1;
                figures.add(new Figure(10, p + "moves on a join / stable after", String.format("%d / %.1f s", joinMoves,
                        Duration.between(joined, Instant.now()).toMillis() / 1000.0), "<= " + bound,
                        Figure.Verdict.of(joinMoves <= bound)));
                figures.add(shares(p + "Leases per agent after the join", afterJoin, running, n + 1));

                // A leave: the agent stops and its pod goes.
                Agent leaver = running.remove(0);
                long leaverHeld = afterJoin.values().stream().filter(leaver.pod()::equals).count();
                Instant left = Instant.now();
                leaver.agent().close();
                kube.admin().pods().inNamespace(NS).withName(leaver.pod()).delete();
                Map<String, Duration> unowned = new HashMap<>();
                Map<String, String> afterLeave = awaitStable(kube.admin(), running, out, p + "leave", unowned, left);
                int leaveMoves = moves(afterJoin, afterLeave);
                Duration longest = unowned.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
                figures.add(new Figure(10, p + "moves on a leave (the leaver held " + leaverHeld + ")",
                        Integer.toString(leaveMoves), "= " + leaverHeld, Figure.Verdict.of(leaveMoves == leaverHeld)));
                figures.add(new Figure(10, p + "longest unowned time after the leave", String.format("%.1f s",
                        longest.toMillis() / 1000.0), "<= " + 2 * LEASE.toSeconds() + " s",
                        Figure.Verdict.of(longest.compareTo(LEASE.multipliedBy(2)) <= 0)));
                splits.cancel(true);
                more.forEach(s -> s.future().cancel(true));
                long writes = running.stream().mapToLong(a -> a.target().writes.get()).sum() + leaver.target().writes.get();
                long bad = running.stream().mapToLong(a -> a.target().byNonHolder.get()).sum() + leaver.target().byNonHolder.get();
                figures.add(new Figure(10, p + "writes by a non-holder (of all writes)", bad + " (of " + writes + ")", "0",
                        Figure.Verdict.of(bad == 0 && writes > 0)));
                return figures;
            } finally {
                running.forEach(a -> a.agent().close());
            }
        }
    }

    private record ScheduledSplit(java.util.concurrent.ScheduledFuture<?> future) {
    }

    private static Agent start(String pod, Kube kube, Path triggers, Path kubeconfig, BenchSettings settings)
            throws Exception {
        kube.agentPod(pod);
        AgentOptions options = new AgentOptions(List.of(triggers), settings.routes(), false, false, true, pod, NS, -1,
                Duration.ofMinutes(10), LEASE);
        KubernetesClient client = KubeClients.create(kubeconfig);
        AuditedTarget target = new AuditedTarget(new Fabric8ScaleTarget(client), new LeaseHolder(client, NS, pod));
        ProbeOptions probe = ProbeOptions.defaults().withBudget(1000, 100);
        AgentPorts ports = AgentAssembly.ports(options, kubeconfig, new AwsShardCounter(probe), Clock.systemUTC());
        ScalerAgent agent = new ScalerAgent(options, ports.withKube(ports.kube().withScaleTarget(target)));
        agent.start();
        return new Agent(pod, agent, target);
    }

    /** Lease group -> holder, for the ScaledObjects' Leases. */
    static Map<String, String> holders(KubernetesClient kube) {
        Map<String, String> holders = new LinkedHashMap<>();
        for (Lease l : kube.leases().inNamespace(NS).withLabel(LeaseSpread.LEASE_LABEL, LeaseSpread.SCALEDOBJECT)
                .list().getItems()) {
            String holder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
            holders.put(l.getMetadata().getName(), holder == null || holder.isEmpty() ? null : holder);
        }
        return holders;
    }

    private static Map<String, String> awaitStable(KubernetesClient kube, List<Agent> agents, PrintStream out, String what)
            throws InterruptedException {
        return awaitStable(kube, agents, out, what, new HashMap<>(), Instant.now());
    }

    /**
     * Samples the Leases every 200 ms until every ScaledObject has a live holder and nothing moved for two Lease
     * passes (4 s), or 3 lease durations passed; records how long each Lease was without a live holder since {@code from}.
     */
    private static Map<String, String> awaitStable(KubernetesClient kube, List<Agent> agents, PrintStream out, String what,
                                                   Map<String, Duration> unowned, Instant from) throws InterruptedException {
        List<String> live = agents.stream().map(Agent::pod).toList();
        Instant deadline = Instant.now().plus(LEASE.multipliedBy(3));
        Map<String, String> last = Map.of();
        Instant lastChange = Instant.now();
        Map<String, Instant> since = new HashMap<>();
        while (Instant.now().isBefore(deadline)) {
            Map<String, String> now = holders(kube);
            for (var e : now.entrySet()) {
                if (e.getValue() == null || !live.contains(e.getValue())) {
                    since.putIfAbsent(e.getKey(), Instant.now());
                } else if (since.containsKey(e.getKey())) {
                    Instant start = since.remove(e.getKey());
                    Instant begin = start.isBefore(from) ? from : start;
                    unowned.merge(e.getKey(), Duration.between(begin, Instant.now()), (a, b) -> a.compareTo(b) > 0 ? a : b);
                }
            }
            if (!now.equals(last)) {
                last = now;
                lastChange = Instant.now();
            }
            boolean allOwned = now.size() == SCALED_OBJECTS && now.values().stream().allMatch(h -> h != null && live.contains(h));
            if (allOwned && Duration.between(lastChange, Instant.now()).toSeconds() >= 4) {
                return now;
            }
            Thread.sleep(200);
        }
        since.forEach((k, v) -> unowned.merge(k, Duration.between(v.isBefore(from) ? from : v, Instant.now()),
                (a, b) -> a.compareTo(b) > 0 ? a : b));
        out.printf("spread: %s: not stable within %d s: %s%n", what, LEASE.multipliedBy(3).toSeconds(), last);
        return last;
    }

    static int moves(Map<String, String> before, Map<String, String> after) {
        int moved = 0;
        for (var e : after.entrySet()) {
            if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                moved++;
            }
        }
        return moved;
    }

    private static Figure shares(String what, Map<String, String> holders, List<Agent> agents, int n) {
        Map<String, Integer> per = new LinkedHashMap<>();
        agents.forEach(a -> per.put(a.pod(), 0));
        holders.values().stream().filter(Objects::nonNull).forEach(h -> per.merge(h, 1, Integer::sum));
        int lo = SCALED_OBJECTS / n - 1;
        int hi = (int) Math.ceil(SCALED_OBJECTS / (double) n) + 1;
        boolean ok = per.values().stream().allMatch(c -> c >= lo && c <= hi)
                && holders.values().stream().filter(Objects::nonNull).count() == SCALED_OBJECTS;
        return new Figure(10, what, per.values().toString(), lo + ".." + hi + " each", Figure.Verdict.of(ok));
    }
}
