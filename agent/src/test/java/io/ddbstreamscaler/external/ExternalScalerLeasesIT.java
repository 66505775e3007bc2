package io.ddbstreamscaler.external;

import io.ddbstreamscaler.external.proto.ScaledObjectRef;
import io.ddbstreamscaler.simulator.aws.SimShard;
import io.ddbstreamscaler.simulator.ManualClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ddbstreamscaler.external.ExternalScalerFixture.ref;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KEDA's external scaler with {@code kclLeaseTable} in scalerMetadata: the lease-aware count over gRPC. */
class ExternalScalerLeasesIT {

    final ManualClock clock = new ManualClock();
    ExternalScalerFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ExternalScalerFixture(Duration.ofSeconds(30), clock);
        // One parent split in two; the consumer finished it (its lease at SHARD_END).
        f.sim.state().createTable("orders", 1);
        SimShard parent = f.sim.state().stream("orders").shards().get(0);
        f.sim.state().split("orders", 1);
        f.sim.state().createItemTable("orders-consumer", "leaseKey");
        f.sim.state().putItem("orders-consumer", Map.of("leaseKey", Map.of("S", parent.shardId()),
                "checkpoint", Map.of("S", "SHARD_END"), "leaseOwner", Map.of("S", "worker-1")));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void getMetricsAnswersTheShardsWithWorkLeftAndKedasCountStaysApart() {
        ScaledObjectRef leaseAware = ref("orders-consumer", f.metadata("orders", "kclLeaseTable", "orders-consumer"));
        ScaledObjectRef keda = ref("orders-other", f.metadata("orders"));

        long workLeft = f.value(leaseAware);
        long listed = f.value(keda);
        boolean active = f.blocking().isActive(leaseAware).getResult();

        assertAll(
                () -> assertEquals(2, workLeft, "3 listed, the parent finished"),
                () -> assertEquals(3, listed, "a reading without the lease table is another reading"),
                () -> assertTrue(active),
                () -> assertEquals(1, f.sim.requests("Scan").size(), "GetMetrics and IsActive share one reading"));
    }

    @Test
    void aMissingLeaseTableIsUnavailableNamingIt() {
        ScaledObjectRef missing = ref("orders-consumer", f.metadata("orders", "kclLeaseTable", "no-such-leases"));

        var e = assertThrows(StatusRuntimeException.class, () -> f.value(missing));

        assertAll(
                () -> assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode()),
                () -> assertTrue(e.getStatus().getDescription().startsWith("TABLE_NOT_FOUND: KCL lease table"
                        + " no-such-leases not found"), e.getStatus()::getDescription));
    }

    @Test
    void aBadLeaseTableNameIsInvalidArgument() {
        ScaledObjectRef bad = ref("orders-consumer", f.metadata("orders", "kclLeaseTable", "no such table"));

        var e = assertThrows(StatusRuntimeException.class, () -> f.value(bad));

        assertAll(
                () -> assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode()),
                () -> assertTrue(e.getStatus().getDescription().contains("metadata.kclLeaseTable"),
                        e.getStatus()::getDescription),
                () -> assertFalse(f.sim.requests().stream().anyMatch(r -> List.of("Scan", "DescribeStream")
                        .contains(r.operation())), "bad metadata never reaches AWS"));
    }
}
