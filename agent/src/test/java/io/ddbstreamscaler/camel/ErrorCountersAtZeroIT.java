package io.ddbstreamscaler.camel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error counter is served at 0 from the start, for the agent and for each ScaledObject it loads, so that an
 * {@code increase()} alert has a series before the first error (Prometheus: export the known label sets at 0); a
 * ScaledObject's are removed with it.
 */
class ErrorCountersAtZeroIT {

    static final String FALLBACK = """
              fallback: {failureThreshold: 3, replicas: 2}
            """;

    AgentHarness h;

    @BeforeEach
    void start(@TempDir Path dir) {
        h = new AgentHarness(dir);
        h.aws.state().createTable("orders", 2);
        h.kube.createDeployment(AgentHarness.NS, "consumer", 1, Map.of("app", "consumer"));
        h.writeTriggers("so.yaml", h.scaledObject("orders-consumer", "orders", "Deployment", "consumer", 2, FALLBACK));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void errorCountersAreServedAtZeroFromTheStartAndLeaveWithTheirScaledObject() throws Exception {
        // Dry run: no write is attempted, so every counter below can only be the registration's 0.
        ScalerAgent agent = h.start(h.options(true, false, null));
        String metrics = agent.registry().scrape();
        String so = "namespace=\"keda-test\",scaledObject=\"orders-consumer\"";
        List<String> zeros = List.of(
                "ddbstream_scaler_config_errors_total{kind=\"triggers\"} 0.0",
                "ddbstream_scaler_config_errors_total{kind=\"routes\"} 0.0",
                "ddbstream_scaler_aws_calls_total{outcome=\"error\"} 0.0",
                "ddbstream_scaler_aws_calls_total{outcome=\"throttled\"} 0.0",
                "keda_scaled_object_errors_total{" + so + "} 0.0",
                "keda_scaler_detail_errors_total{metric=\"s0-aws-dynamodb-streams-orders\"," + so
                        + ",scaler=\"awsDynamoDBStreamsScaler\",triggerIndex=\"0\",type=\"scaledobject\"} 0.0",
                "ddbstream_scaler_scale_writes_total{direction=\"up\",namespace=\"keda-test\",outcome=\"failure\","
                        + "scaledObject=\"orders-consumer\"} 0.0",
                "ddbstream_scaler_scale_writes_total{direction=\"down\",namespace=\"keda-test\",outcome=\"failure\","
                        + "scaledObject=\"orders-consumer\"} 0.0",
                "ddbstream_scaler_decisions_total{namespace=\"keda-test\",reason=\"Fallback\","
                        + "scaledObject=\"orders-consumer\"} 0.0",
                "ddbstream_scaler_invalid_objects 0.0");
        assertAll(zeros.stream().map(line -> () -> assertTrue(metrics.lines().anyMatch(line::equals),
                () -> "not served at 0: " + line)));

        h.writeTriggers("so.yaml", "# emptied\n");
        agent.checkForChanges();
        String after = agent.registry().scrape();
        assertEquals(List.of(), after.lines().filter(l -> l.contains("scaledObject=\"orders-consumer\"")).toList());
        assertTrue(after.contains("ddbstream_scaler_config_errors_total{kind=\"triggers\"} 0.0"), "agent-wide stays");
    }
}
