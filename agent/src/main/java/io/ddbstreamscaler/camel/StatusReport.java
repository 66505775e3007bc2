package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.trigger.FailedToLoad;
import io.ddbstreamscaler.schedule.ScaledObjectStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddbstreamscaler.policy.ScaleDecision;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code /observe/status}: one entry per ScaledObject, what {@code kubectl get hpa} would show if there were an HPA
 * (the {@code status} command prints it as a table), and the objects of the trigger files that did not load, with
 * their errors. Built from the store; no credential is in it (triggers are described by table, region and counts
 * only; a load error never carries a secret's value).
 */
public final class StatusReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusReport() {
    }

    public static String json(ScaledObjectStore store, Predicate<ScaledObjectConfig> leads, AgentOptions options) {
        return json(store, leads, options, List.of());
    }

    /**
     * @param failedToLoad the objects of the trigger files that did not load, listed under {@code failedToLoad} with
     *                     their errors (a ScaledObject among them is in {@code scaledObjects} too when its last good
     *                     version keeps running)
     */
    public static String json(ScaledObjectStore store, Predicate<ScaledObjectConfig> leads, AgentOptions options,
                              List<FailedToLoad> failedToLoad) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode agent = root.putObject("agent");
        agent.put("pod", options.podName());
        agent.put("leaderElection", options.leaderElection());
        agent.put("dryRun", options.dryRun());
        ArrayNode list = root.putArray("scaledObjects");
        int leading = 0;
        for (ScaledObjectStore.Entry e : store.all().stream()
                .sorted(Comparator.comparing((ScaledObjectStore.Entry x) -> x.config().id())).toList()) {
            boolean leader = leads.test(e.config());
            leading += leader ? 1 : 0;
            list.add(entry(e, leader));
        }
        agent.put("scaledObjects", store.size());
        agent.put("leading", leading);
        agent.put("failedToLoad", failedToLoad.size());
        ArrayNode failed = root.putArray("failedToLoad");
        for (FailedToLoad f : failedToLoad) {
            ObjectNode n = failed.addObject();
            n.put("file", f.file() == null ? null : f.file().toString());
            n.put("object", f.object());
            n.put("lastGoodRunning", f.lastGoodRunning());
            ArrayNode errors = n.putArray("errors");
            f.errors().forEach(errors::add);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode entry(ScaledObjectStore.Entry e, boolean leader) {
        ScaledObjectConfig so = e.config();
        ObjectNode n = JSON.createObjectNode();
        n.put("namespace", so.namespace());
        n.put("name", so.name());
        ObjectNode target = n.putObject("target");
        target.put("apiVersion", so.scaleTarget().apiVersion());
        target.put("kind", so.scaleTarget().kind());
        target.put("name", so.scaleTarget().name());
        n.put("leader", leader);
        n.put("paused", so.scaling().paused() || so.scaling().pausedReplicas() != null);
        ScaleDecision d = e.lastDecision();
        if (d == null) {
            n.putNull("active");
            n.putNull("fallback");
        } else {
            n.put("active", d.active());
            n.put("fallback", d.reason() == ScaleDecision.Reason.Fallback);
        }
        ObjectNode replicas = n.putObject("replicas");
        if (d == null) {
            replicas.putNull("current");
            replicas.putNull("desired");
        } else {
            replicas.put("current", d.currentReplicas());
            replicas.put("desired", d.desiredReplicas());
        }
        replicas.put("min", so.scaling().minReplicaCount());
        replicas.put("max", so.scaling().maxReplicaCount());
        ArrayNode triggers = n.putArray("triggers");
        for (var t : so.triggers()) {
            ObjectNode tn = triggers.addObject();
            tn.put("index", t.index());
            tn.put("table", t.tableName());
            tn.put("region", t.awsRegion());
            tn.put("countClosedShards", t.countClosedShards());
            tn.put("counted", t.counting());
            tn.put("kclLeaseTable", t.kclLeaseTable() == null ? null : t.kclLeaseTable().name());
            var outcome = e.lastOutcomes().stream().filter(o -> o.trigger().index() == t.index()).findFirst();
            if (outcome.isPresent() && !outcome.get().failed()) {
                var r = outcome.get().reading();
                ObjectNode shards = tn.putObject("shards");
                shards.put("open", r.open());
                shards.put("closed", r.closed());
                shards.put("total", r.total());
                if (r.leases() != null) {
                    shards.put("finished", r.leases().finished());
                }
                tn.put("metric", r.metricValue(t.countClosedShards()));
                tn.set("leases", io.ddbstreamscaler.stream.kcl.LeaseStatus.json(r.leases()));
            } else {
                tn.putNull("shards");
                tn.putNull("metric");
                tn.putNull("leases");
            }
            tn.put("target", t.shardCount());
            if (outcome.isPresent() && outcome.get().failed()) {
                tn.put("error", outcome.get().error().kind() + ": " + outcome.get().error().getMessage());
            } else {
                tn.putNull("error");
            }
        }
        if (d == null) {
            n.putNull("reason");
        } else {
            n.put("reason", d.reason().name());
        }
        if (e.lastPoll() == null) {
            n.putNull("lastPoll");
        } else {
            n.put("lastPoll", e.lastPoll().toString());
        }
        n.put("lastError", e.lastError());
        return n;
    }
}
