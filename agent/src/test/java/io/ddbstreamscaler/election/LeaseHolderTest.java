package io.ddbstreamscaler.election;

import io.ddbstreamscaler.simulator.KubeApiSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Whether this pod holds a ScaledObject: its Lease names it, and no other agent holds the legacy Lease. */
class LeaseHolderTest {

    static final String NS = "agents";
    KubeApiSimulator kube;

    @BeforeEach
    void start() {
        kube = KubeApiSimulator.start();
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    static Stream<Arguments> holders() {
        return Stream.of(
                // name, holder of the ScaledObject's Lease (null: no Lease), holder of its legacy Lease, holds
                Arguments.of("its Lease names this pod, no legacy Lease", "agent-0", null, true),
                Arguments.of("its Lease names this pod, the legacy Lease too", "agent-0", "agent-0", true),
                Arguments.of("its Lease names this pod, the legacy Lease released", "agent-0", "", true),
                Arguments.of("its Lease names this pod, an old agent holds the legacy Lease", "agent-0", "agent-1", false),
                Arguments.of("its Lease names another pod", "agent-1", null, false),
                Arguments.of("no Lease", null, null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void holdsTheScaledObjectOnlyWithBothLeases(String name, String holder, String legacyHolder, boolean holds) {
        if (holder != null) {
            lease(LeaseNames.lease("keda-test", "orders"), holder);
        }
        if (legacyHolder != null) {
            lease(LeaseSpread.GROUP_PREFIX + LeaseNames.legacyGroup("keda-test", "orders"), legacyHolder);
        }
        assertEquals(holds, new LeaseHolder(kube.client(), NS, "agent-0").holdsScaledObject("keda-test", "orders"));
    }

    void lease(String name, String holder) {
        kube.client().leases().inNamespace(NS).resource(LeaseSpread.newLease(NS, name, LeaseSpread.SCALEDOBJECT)
                .withNewSpec().withHolderIdentity(holder).endSpec().build()).create();
    }
}
