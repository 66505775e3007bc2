package io.ddbstreamscaler.bench.keda;

import io.ddbstreamscaler.bench.ExternalAgent;
import io.ddbstreamscaler.bench.ProcStatus;
import io.ddbstreamscaler.bench.ShippedJvm;
import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The footprint side of versus-keda: N ScaledObjects for KEDA (each with its HPA) and the same N for the agent, each
 * scaling a Deployment of its own from one of ten tables, at growing N; at each N, once both have taken them all in,
 * one measured window: RSS and CPU of KEDA's operator plus adapter and of the agent, AWS calls by each (told apart by
 * access key), API server requests by each (audit log by user).
 */
public final class FleetRun {

    static final int TABLES = 10;
    static final int SHARDS = 4;
    /** KEDA's default pollingInterval, the same on both sides. */
    static final int POLLING_INTERVAL = 30;
    static final String KEDA_NS = "fleet-keda";
    static final String KEDA_KEY = "AKIAKEDAFLEET0000001";
    static final String AGENT_KEY = "AKIAAGENTFLEET000001";
    /** The image's flags with -Xmx for a thousand ScaledObjects (README, "Sizing": 35 MiB plus 40 KiB each). */
    public static final String AGENT_JAVA_TOOL_OPTIONS = ShippedJvm.JAVA_TOOL_OPTIONS.replace("-Xmx48m", "-Xmx96m");

    /** RSS and CPU of one or more processes over a window. */
    public record Usage(double rssMiBAtEnd, double rssMiBMax, long cpuTicks) {
    }

    /**
     * One level's figures.
     *
     * @param kedaCalls       DescribeTable + DescribeStream by KEDA (operator polls and the HPA's metric reads)
     * @param agentCalls      the same by the agent
     * @param agentReadingAge the agent's oldest reading at the end (its AWS budget paces polls beyond 240 per 30 s)
     */
    public record Level(int scaledObjects, Duration window, Usage keda, Usage agent, long kedaCalls, long agentCalls,
                        AuditCounts audit, double agentReadingAge) {

        /** Per ScaledObject per pollingInterval. */
        public double perObjectPerInterval(long count) {
            return count / (double) scaledObjects / (window.toMillis() / 1000.0 / POLLING_INTERVAL);
        }
    }

    private final KedaBed bed;
    private final Path agentJar;
    private final Path work;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public FleetRun(KedaBed bed, Path agentJar, Path work, PrintStream log) {
        this.bed = bed;
        this.agentJar = agentJar;
        this.work = work;
        this.log = log;
    }

    public List<Level> run(List<Integer> levels, Duration window) throws IOException, InterruptedException {
        List<Level> out = new ArrayList<>();
        AwsSimulator aws = AwsSimulator.start(Clock.systemUTC(), TwinManifests.REGION, 0);
        AgentProcess agent = null;
        int managementPort = ExternalAgent.freePort();
        try {
            for (int t = 0; t < TABLES; t++) {
                aws.state().createTable(table(t), SHARDS);
            }
            addFleetNodes(levels.stream().mapToInt(Integer::intValue).max().orElse(1));
            bed.cluster().apply(TwinManifests.namespace(KEDA_NS) + "---\n" + keys(KEDA_NS, KEDA_KEY));
            Path triggers = AgentProcess.emptyTriggerFolder(work.resolve("fleet-triggers"));
            int done = 0;
            for (int n : levels) {
                long t0 = System.nanoTime();
                try {
                    grow(done, n, aws.endpoint(), triggers);
                } catch (IOException e) {
                    // The levels measured so far still count: say where this one stopped, and stop growing.
                    log.printf("fleet %d: not measured: %s%n", n, e.getMessage().lines().findFirst().orElse(""));
                    return out;
                }
                if (agent == null) {
                    agent = AgentProcess.start(AgentProcess.Launch.of(agentJar, bed.cluster().repo().resolve("routes"),
                                    triggers, bed.serviceAccountKubeconfig(), work.resolve("fleet-agent"))
                            .withJavaToolOptions(AGENT_JAVA_TOOL_OPTIONS).withEnvironment(bed.agentEnvironment()),
                            managementPort);
                    agent.awaitLine(l -> l.contains("agent started:"), Duration.ofMinutes(3));
                }
                try {
                    awaitTakenIn(n, managementPort);
                } catch (IOException e) {
                    log.printf("fleet %d: not measured: %s%n", n, e.getMessage());
                    return out;
                }
                log.printf("fleet: %d ScaledObjects on each side taken in after %.0f s; one polling interval to settle%n",
                        n, (System.nanoTime() - t0) / 1e9);
                // Past the agent's spread of a new batch over one interval, and the HPAs' first syncs.
                Thread.sleep(Duration.ofSeconds(POLLING_INTERVAL + 15).toMillis());
                out.add(measure(n, window, aws, agent, managementPort));
                done = n;
            }
            return out;
        } finally {
            if (agent != null) {
                agent.close();
            }
            aws.close();
        }
    }

    /**
     * Two kwok Nodes large enough for both fleets' Pods (one per Deployment): start.sh's Nodes take 110 Pods each, and
     * waiting for two dozen of them to turn Ready took kwok over a minute here. Ready and untainted before use.
     */
    private void addFleetNodes(int objects) throws IOException {
        int pods = objects + 100;
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            nodes.append("""
                    apiVersion: v1
                    kind: Node
                    metadata:
                      name: kwok-fleet-%1$d
                      annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
                      labels: {kubernetes.io/hostname: kwok-fleet-%1$d, kubernetes.io/os: linux, type: kwok}
                    status:
                      allocatable: {cpu: "1000", memory: 4Ti, pods: "%2$d"}
                      capacity: {cpu: "1000", memory: 4Ti, pods: "%2$d"}
                    ---
                    """.formatted(i, pods));
        }
        bed.cluster().apply(nodes.toString());
        bed.cluster().kubectl("wait", "--for=condition=Ready", "node/kwok-fleet-0", "node/kwok-fleet-1",
                "--timeout=180s");
    }

    /**
     * ScaledObjects per kubectl create (with their two Deployments): under a load average of 25, an apply of 100 took
     * over 2 min (a GET and a write per object); create makes one request per object.
     */
    static final int BATCH = 100;
    static final Duration BATCH_TIMEOUT = Duration.ofMinutes(8);

    private void grow(int from, int to, URI endpoint, Path triggers) throws IOException {
        bed.cluster().apply(role(to));
        StringBuilder agentObjects = new StringBuilder(keys(TwinManifests.AGENT_NAMESPACE, AGENT_KEY));
        for (int start = from; start < to; start += BATCH) {
            StringBuilder batch = new StringBuilder();
            for (int i = start; i < Math.min(to, start + BATCH); i++) {
                batch.append(fleetDeployment(KEDA_NS, name(i), "keda")).append("---\n");
                batch.append(fleetDeployment(TwinManifests.AGENT_NAMESPACE, agentName(i), "agent")).append("---\n");
                batch.append(scaledObject(KEDA_NS, name(i), name(i), table(i % TABLES), endpoint)).append("---\n");
                agentObjects.append("---\n").append(scaledObject(TwinManifests.AGENT_NAMESPACE, name(i), agentName(i),
                        table(i % TABLES), endpoint));
            }
            bed.cluster().create(batch.toString(), BATCH_TIMEOUT);
        }
        // A file per batch: the agent loads a new file in the folder it watches, as a ConfigMap update would bring it.
        Files.writeString(triggers.resolve(String.format("fleet-%05d-%05d.yaml", from, to)), agentObjects,
                StandardCharsets.UTF_8);
    }

    private void awaitTakenIn(int n, int managementPort) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
        while (Instant.now().isBefore(deadline)) {
            int hpas = bed.cluster().kubectl("get", "hpa", "-n", KEDA_NS, "-o", "name").strip().lines()
                    .mapToInt(l -> 1).sum();
            Double agents = metric(managementPort, "ddbstream_scaler_scaled_objects");
            if (hpas >= n && agents != null && agents >= n) {
                return;
            }
            Thread.sleep(2_000);
        }
        throw new IOException("within 15 min, KEDA did not make " + n + " HPAs or the agent did not load " + n
                + " ScaledObjects");
    }

    private Level measure(int n, Duration window, AwsSimulator aws, AgentProcess agent, int managementPort)
            throws IOException, InterruptedException {
        long[] pids = {bed.cluster().pid("keda-operator"), bed.cluster().pid("keda-adapter"), agent.pid()};
        ProcStatus[] before = new ProcStatus[pids.length];
        double[] max = new double[pids.length];
        for (int i = 0; i < pids.length; i++) {
            before[i] = ProcStatus.read(pids[i]);
        }
        Instant from = Instant.now();
        long end = System.nanoTime() + window.toNanos();
        ProcStatus[] last = before.clone();
        while (System.nanoTime() < end) {
            for (int i = 0; i < pids.length; i++) {
                last[i] = ProcStatus.read(pids[i]);
                max[i] = Math.max(max[i], last[i].rssMiB());
            }
            Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        for (int i = 0; i < pids.length; i++) {
            last[i] = ProcStatus.read(pids[i]);
            max[i] = Math.max(max[i], last[i].rssMiB());
        }
        Instant to = Instant.now();
        Usage keda = new Usage(last[0].rssMiB() + last[1].rssMiB(), max[0] + max[1],
                last[0].cpuTicks() - before[0].cpuTicks() + last[1].cpuTicks() - before[1].cpuTicks());
        Usage agentUsage = new Usage(last[2].rssMiB(), max[2], last[2].cpuTicks() - before[2].cpuTicks());
        List<LoggedRequest> calls = aws.requests().stream()
                .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).toList();
        Double age = metricMax(managementPort, "ddbstream_scaler_reading_age_seconds");
        Level level = new Level(n, Duration.between(from, to), keda, agentUsage, count(calls, KEDA_KEY),
                count(calls, AGENT_KEY), AuditCounts.read(bed.cluster().auditLog(), from, to), age == null ? -1 : age);
        log.printf("fleet %d: RSS KEDA operator + adapter %.0f MiB (max %.0f), agent %.0f MiB (max %.0f); CPU ticks KEDA %d,"
                        + " agent %d; AWS calls KEDA %d, agent %d; API requests KEDA operator %d, adapter %d, HPA"
                        + " controller %d, agent %d; in %d s; agent's oldest reading %.0f s%n", n, keda.rssMiBAtEnd(),
                keda.rssMiBMax(), agentUsage.rssMiBAtEnd(), agentUsage.rssMiBMax(), keda.cpuTicks(),
                agentUsage.cpuTicks(), level.kedaCalls(), level.agentCalls(), level.audit().of(AuditCounts.KEDA_OPERATOR),
                level.audit().of(AuditCounts.KEDA_ADAPTER), level.audit().of(AuditCounts.HPA_CONTROLLER),
                level.audit().agent(), level.window().toSeconds(), level.agentReadingAge());
        return level;
    }

    private static long count(List<LoggedRequest> calls, String key) {
        return calls.stream().filter(r -> key.equals(r.accessKeyId()))
                .filter(r -> r.operation().equals("DescribeStream") || r.operation().equals("DescribeTable")).count();
    }

    /** One series' value (the first sample of it), or null when the agent does not answer. */
    private Double metric(int port, String name) {
        List<Double> values = samples(port, name);
        return values.isEmpty() ? null : values.get(0);
    }

    private Double metricMax(int port, String name) {
        return samples(port, name).stream().filter(v -> !v.isNaN()).max(Double::compare).orElse(null);
    }

    private List<Double> samples(int port, String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)$").matcher(r.body());
            List<Double> values = new ArrayList<>();
            while (m.find()) {
                values.add(Double.parseDouble(m.group(2)));
            }
            return values;
        } catch (IOException | NumberFormatException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static String table(int t) {
        return "fleet-" + t;
    }

    private static String name(int i) {
        return String.format("fleet-%04d", i);
    }

    private static String agentName(int i) {
        return String.format("agent-fleet-%04d", i);
    }

    private static String keys(String namespace, String key) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: fleet-keys, namespace: %1$s}
                stringData: {AWS_ACCESS_KEY_ID: %2$s, AWS_SECRET_ACCESS_KEY: fleetSecretKey0000000000000000000000000}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: fleet-keys, namespace: %1$s}
                spec:
                  secretTargetRef:
                    - {parameter: awsAccessKeyID, name: fleet-keys, key: AWS_ACCESS_KEY_ID}
                    - {parameter: awsSecretAccessKey, name: fleet-keys, key: AWS_SECRET_ACCESS_KEY}
                """.formatted(namespace, key);
    }

    /** shardCount 8 over 4 shards: one replica each, so the fleet's Pods stay 2 x N. */
    private static String scaledObject(String namespace, String name, String target, String table, URI endpoint) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %2$s, namespace: %1$s}
                spec:
                  scaleTargetRef: {name: %3$s}
                  pollingInterval: %6$d
                  minReplicaCount: 1
                  triggers:
                    - type: aws-dynamodb-streams
                      authenticationRef: {name: fleet-keys}
                      metadata: {tableName: %4$s, awsRegion: %7$s, awsEndpoint: "%5$s", shardCount: "8"}
                """.formatted(namespace, name, target, table, endpoint, POLLING_INTERVAL, TwinManifests.REGION);
    }

    private static String fleetDeployment(String namespace, String name, String side) {
        return TwinManifests.deployment(namespace, name)
                .replace("labels: {" + ReplicaRecorder.TWIN_LABEL + ": \"true\"}", "labels: {fleet: " + side + "}");
    }

    /** Like the twins' Role: the agent's ServiceAccount may scale exactly the fleet's Deployments. */
    private static String role(int n) {
        return TwinManifests.scaleRole("ddbstream-scaler-fleet", IntStream.range(0, n).mapToObj(FleetRun::agentName)
                .toList());
    }
}
