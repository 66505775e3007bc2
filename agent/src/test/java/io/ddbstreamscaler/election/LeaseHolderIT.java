package io.ddbstreamscaler.election;

import io.ddbstreamscaler.scale.ScaleException;

import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who holds a Lease, asked of the API server just before a write. */
class LeaseHolderIT {

    KubeApiSimulator kube;

    @BeforeEach
    void start() {
        kube = KubeApiSimulator.start();
        kube.client().leases().inNamespace("ns").resource(new LeaseBuilder().withNewMetadata().withName("leaders-g")
                .withNamespace("ns").endMetadata().withNewSpec().withHolderIdentity("agent-a").endSpec().build()).create();
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    @Test
    void onlyTheNamedHolderHoldsIt() {
        assertTrue(new LeaseHolder(kube.client(), "ns", "agent-a").heldByMe("g"));
        assertFalse(new LeaseHolder(kube.client(), "ns", "agent-b").heldByMe("g"));
        assertFalse(new LeaseHolder(kube.client(), "ns", "agent-a").heldByMe("other-group"), "no Lease, no leader");
    }

    @Test
    void aForbiddenReadNamesTheRule() {
        kube.dispatcher().inject("GET", ".*/leases/leaders-g", 403, -1);
        ScaleException error = assertThrows(ScaleException.class,
                () -> new LeaseHolder(kube.client(), "ns", "agent-a").heldByMe("g"));
        assertEquals(ScaleException.Kind.FORBIDDEN, error.kind());
        assertTrue(error.getMessage().contains("resources: [\"leases\"]"), error.getMessage());
    }
}
