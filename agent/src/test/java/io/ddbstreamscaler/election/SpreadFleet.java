package io.ddbstreamscaler.election;

import io.ddbstreamscaler.scale.KubeClients;

import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.ddbstreamscaler.simulator.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agents as the integrator's scheduler will drive them, by hand: one {@link LeaseSpread} per pod, passes called one at
 * a time, a hand-moved clock. No threads, no sleeps.
 */
final class SpreadFleet implements AutoCloseable {

    static final String NS = "agents";
    static final Duration LEASE = Duration.ofSeconds(15);
    /** The integrator's scheduler runs a pass every 2 s. */
    static final Duration PASS = Duration.ofSeconds(2);

    final KubeApiSimulator kube = KubeApiSimulator.start();
    /** The agent's own client setup (timeouts, bounded retries), pointed at the simulator. */
    final KubernetesClient client;
    final ManualClock clock = new ManualClock();
    /** Every agent ever started, by pod name; stopped ones stay so their leads() can still be asked. */
    final Map<String, LeaseSpread> agents = new LinkedHashMap<>();
    /** The agents that pass, in start order. */
    final List<String> running = new ArrayList<>();
    final List<String> groups;

    SpreadFleet(int groupCount) {
        try {
            Path kubeconfig = Files.createTempFile("spread", ".kubeconfig");
            client = KubeClients.create(kube.writeKubeconfig(kubeconfig, NS));
            Files.delete(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        groups = IntStream.range(0, groupCount).mapToObj(i -> "ddbstream-scaler-keda-so-" + i).toList();
    }

    /** A Running, Ready pod with the cluster labels, and its agent. */
    LeaseSpread start(String pod) {
        kube.createPod(NS, pod, LeaseSpread.CANDIDATE_LABELS, null);
        LeaseSpread agent = new LeaseSpread(client, NS, pod, LeaseSpread.CANDIDATE_LABELS, LEASE, clock);
        agents.put(pod, agent);
        running.add(pod);
        return agent;
    }

    void pass(String pod) {
        agents.get(pod).reconcile(groups);
    }

    /** Every agent passes once, in start order, each pass checked, then the clock moves one pass interval. */
    void round() {
        for (String pod : List.copyOf(running)) {
            pass(pod);
            leadersChecked("after a pass of " + pod);
        }
        clock.advance(PASS);
    }

    void rounds(int n) {
        for (int i = 0; i < n; i++) {
            round();
        }
    }

    /** The agent stops passing (crashed, or hung). */
    void stop(String pod) {
        running.remove(pod);
    }

    /** A stopped agent passes again (it was hung, not dead). */
    void resume(String pod) {
        running.add(pod);
    }

    void deletePod(String pod) {
        kube.client().pods().inNamespace(NS).withName(pod).delete();
    }

    void setReady(String pod, boolean ready) {
        Pod current = kube.client().pods().inNamespace(NS).withName(pod).get();
        Pod changed = new PodBuilder(current).editStatus().editFirstCondition().withStatus(ready ? "True" : "False")
                .endCondition().endStatus().build();
        kube.client().pods().inNamespace(NS).resource(changed).updateStatus();
    }

    /** Group to holder, as the API server has it. */
    Map<String, String> holders() {
        Map<String, String> holders = new TreeMap<>();
        for (Lease lease : kube.client().leases().inNamespace(NS).withLabel(LeaseSpread.LEASE_LABEL,
                LeaseSpread.SCALEDOBJECT).list().getItems()) {
            String holder = LeaseSpread.holderOf(lease);
            if (holder != null) {
                holders.put(lease.getMetadata().getName().substring(LeaseSpread.GROUP_PREFIX.length()), holder);
            }
        }
        return holders;
    }

    /** Group to the agent whose leads() says so; fails if two do, or if a leader is not the Lease's holder. */
    Map<String, String> leadersChecked(String where) {
        Map<String, String> holders = holders();
        Map<String, String> leaders = new TreeMap<>();
        agents.forEach((name, agent) -> {
            for (String group : groups) {
                if (agent.leads(group)) {
                    String other = leaders.put(group, name);
                    assertEquals(null, other, group + " led by " + other + " and " + name + " " + where);
                    assertEquals(name, holders.get(group), group + ": its leader is not the Lease's holder " + where);
                }
            }
        });
        return leaders;
    }

    /** Leases led per agent among {@code pods}. */
    Map<String, Integer> shares(Map<String, String> leaders, List<String> pods) {
        Map<String, Integer> shares = new TreeMap<>();
        pods.forEach(p -> shares.put(p, 0));
        leaders.values().forEach(p -> shares.merge(p, 1, Integer::sum));
        return shares;
    }

    /** The bound of docs/leader-election.md: each between floor(M/N)-1 and ceil(M/N)+1, and every group led. */
    void assertFair(Map<String, String> leaders, List<String> pods, String where) {
        int m = groups.size();
        int n = pods.size();
        assertEquals(m, leaders.size(), "every group led " + where + ": " + leaders);
        shares(leaders, pods).forEach((pod, held) -> assertTrue(held >= m / n - 1 && held <= (m + n - 1) / n + 1,
                pod + " leads " + held + " of " + m + " over " + n + " " + where));
    }

    static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("agent-" + i);
        }
        return names;
    }

    @Override
    public void close() {
        client.close();
        kube.close();
    }
}
