package io.ddbstreamscaler.election;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Whether taking a group is worth a write while agents of an earlier version may lead it by its legacy Lease. */
class LegacyLeasesTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, an earlier version may run, holder of the legacy Lease (null: no Lease), may take from it, expected
                Arguments.of("no earlier version: whoever holds the legacy Lease", false, "agent-1", false, true),
                Arguments.of("an earlier version, no legacy Lease", true, null, false, true),
                Arguments.of("an earlier version, the legacy Lease released", true, "", false, true),
                Arguments.of("an earlier version, this agent holds the legacy Lease", true, "agent-0", false, true),
                Arguments.of("an earlier version, an agent that may still lead holds it", true, "agent-1", false, false),
                Arguments.of("an earlier version, an agent that may no longer lead holds it", true, "agent-1", true,
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void mayLeadOnlyWhereNoOldAgentMayLeadByTheLegacyLease(String name, boolean earlierVersionMayRun,
                                                            String legacyHolder, boolean mayTakeFrom, boolean expected) {
        Map<String, Lease> byName = new HashMap<>();
        if (legacyHolder != null) {
            byName.put("leaders-old-g", LeaseSpread.newLease("agents", "leaders-old-g", LeaseSpread.SCALEDOBJECT)
                    .withNewSpec().withHolderIdentity(legacyHolder).endSpec().build());
        }
        LegacyLeases legacy = new LegacyLeases(null, "agent-0", byName, Map.of("g", "old-g"), earlierVersionMayRun,
                holder -> mayTakeFrom, Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(expected, legacy.mayLead("g"));
        assertEquals(true, legacy.mayLead("a group without a legacy name"));
    }
}
