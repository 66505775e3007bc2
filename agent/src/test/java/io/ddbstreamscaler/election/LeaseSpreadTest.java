package io.ddbstreamscaler.election;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two readings a pass makes of what it lists: which pods are candidates, and who holds a Lease. */
class LeaseSpreadTest {

    static PodBuilder pod(String phase) {
        return new PodBuilder().withNewMetadata().withName("agent-0").endMetadata()
                .withNewStatus().withPhase(phase).endStatus();
    }

    static Pod ready(String phase, String type, String status) {
        return pod(phase).editStatus().addNewCondition().withType(type).withStatus(status).endCondition().endStatus()
                .build();
    }

    static Stream<Arguments> pods() {
        return Stream.of(
                // name, pod, candidate expected
                Arguments.of("Running and Ready", ready("Running", "Ready", "True"), true),
                Arguments.of("Running, Ready False", ready("Running", "Ready", "False"), false),
                Arguments.of("Running, only another condition True", ready("Running", "ContainersReady", "True"), false),
                Arguments.of("Pending, Ready True", ready("Pending", "Ready", "True"), false),
                Arguments.of("Running, no conditions yet", pod("Running").build(), false),
                Arguments.of("Running, conditions null", pod("Running").editStatus().withConditions(
                        (java.util.List<io.fabric8.kubernetes.api.model.PodCondition>) null).endStatus().build(), false),
                Arguments.of("no status yet", new PodBuilder().withNewMetadata().withName("agent-0").endMetadata().build(),
                        false),
                Arguments.of("terminating, still Ready", new PodBuilder(ready("Running", "Ready", "True")).editMetadata()
                        .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void aCandidateIsRunningReadyAndNotTerminating(String name, Pod pod, boolean expected) {
        assertEquals(expected, LeaseSpread.runningAndReady(pod));
    }

    static Stream<Arguments> leases() {
        return Stream.of(
                // name, lease, holder expected
                Arguments.of("no Lease", null, null),
                Arguments.of("a Lease without spec", new LeaseBuilder().withNewMetadata().withName("l").endMetadata()
                        .build(), null),
                Arguments.of("no holder", new LeaseBuilder().withNewSpec().endSpec().build(), null),
                Arguments.of("an empty holder (released)", new LeaseBuilder().withNewSpec().withHolderIdentity("")
                        .endSpec().build(), null),
                Arguments.of("a holder", new LeaseBuilder().withNewSpec().withHolderIdentity("agent-1").endSpec().build(),
                        "agent-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leases")
    void theHolderIsNamedOrNobody(String name, Lease lease, String expected) {
        assertEquals(expected, LeaseSpread.holderOf(lease));
    }
}
