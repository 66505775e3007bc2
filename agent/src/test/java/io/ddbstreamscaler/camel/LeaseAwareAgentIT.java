package io.ddbstreamscaler.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.simulator.aws.SimShard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole agent (routes, sinks, management server) on a trigger with {@code kclLeaseTable}: it scales on the shards
 * with work left, and /observe/status and the metrics say how the count was made.
 */
class LeaseAwareAgentIT {

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        // 4 shards, each split: 4 closed parents and 8 open children, 12 listed (KEDA's count: 6 replicas).
        h.aws.state().createTable("orders", 4);
        List<SimShard> parents = h.aws.state().stream("orders").shards();
        h.aws.state().split("orders", 4);
        List<SimShard> children = h.aws.state().stream("orders").shards().stream()
                .filter(s -> s.parentShardId() != null).toList();
        h.aws.state().createItemTable("orders-consumer", "leaseKey");
        // The consumer finished two parents (their children now leased and read) and still reads the other two.
        for (int i = 0; i < 4; i++) {
            put(parents.get(i).shardId(), i < 2 ? "SHARD_END" : "4900000000000000000" + i, "worker-a");
        }
        children.stream().filter(c -> c.parentShardId().equals(parents.get(0).shardId())
                        || c.parentShardId().equals(parents.get(1).shardId()))
                .forEach(c -> put(c.shardId(), "TRIM_HORIZON", "worker-b"));
        h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, "")
                .replace("      shardCount: \"2\"\n", "      shardCount: \"2\"\n      kclLeaseTable: orders-consumer\n"));
    }

    void put(String shardId, String checkpoint, String owner) {
        h.aws.state().putItem("orders-consumer", Map.of("leaseKey", Map.of("S", shardId),
                "checkpoint", Map.of("S", checkpoint), "leaseOwner", Map.of("S", owner),
                "leaseCounter", Map.of("N", "1")));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void scalesOnTheShardsWithWorkLeftAndSaysHow() throws Exception {
        var o = h.options(false, false, null);
        ScalerAgent agent = h.start(new AgentOptions(o.configPaths(), o.routesFolder(), false, false, false, null, null, 0,
                o.watchPeriod(), o.leaseDuration()));

        // 12 listed, 2 finished: 10 with work left, 5 replicas (KEDA's count would ask 6, open shards only 4).
        await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(5).equals(h.replicas("Deployment", "consumer")));
        await().atMost(Duration.ofSeconds(15)).until(() -> agent.store().require("keda-test/orders-consumer")
                .lastDecision().currentReplicas() == 5);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(agent.managementUrl() + "/observe/status")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode t = new ObjectMapper().readTree(r.body()).path("scaledObjects").get(0).path("triggers").get(0);
        var registry = agent.registry();
        assertAll(
                () -> assertEquals("leases", t.path("counted").asText()),
                () -> assertEquals("orders-consumer", t.path("kclLeaseTable").asText()),
                () -> assertEquals(12, t.path("shards").path("total").asInt()),
                () -> assertEquals(2, t.path("shards").path("finished").asInt()),
                () -> assertEquals(10, t.path("metric").asInt()),
                () -> assertEquals(4, t.path("leases").path("waitingOnParent").asInt()),
                () -> assertEquals(Map.of("worker-a", 2, "worker-b", 4), new ObjectMapper().convertValue(
                        t.path("leases").path("byWorker"), Map.class)),
                () -> assertEquals(2, registry.get("ddbstream.scaler.shards").tag("state", "finished").gauge().value()),
                () -> assertEquals(10, registry.get("keda.scaler.metrics.value").gauge().value()),
                () -> assertEquals(4, registry.get("ddbstream.scaler.kcl.leases").tag("worker", "worker-b").gauge().value()),
                () -> assertEquals(4, registry.get("ddbstream.scaler.kcl.leases.max.per.worker").gauge().value()));
    }
}
