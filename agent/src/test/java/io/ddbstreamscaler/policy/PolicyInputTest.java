package io.ddbstreamscaler.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a decision may start from: a count of 0 or more, at least one reading, no history meaning none yet. */
class PolicyInputTest {

    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    static final TriggerReading READING = TriggerReading.of("t", MetricType.AVERAGE_VALUE, 2, 0, 4);

    @Test
    void noHistoryIsTheEmptyHistory() {
        PolicyInput in = new PolicyInput(List.of(READING), 0, ScalingSettings.kedaDefaults(), null, NOW, false);
        assertEquals(PolicyHistory.empty(), in.history());
        assertEquals(0, in.currentReplicas(), "0 replicas is a count like any other");
    }

    @Test
    void aNegativeCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PolicyInput(List.of(READING),
                -1, ScalingSettings.kedaDefaults(), PolicyHistory.empty(), NOW, false));
        assertEquals("currentReplicas must be >= 0, got -1", e.getMessage());
    }

    @Test
    void aScaledObjectWithoutReadingsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PolicyInput(List.of(), 1,
                ScalingSettings.kedaDefaults(), PolicyHistory.empty(), NOW, false));
        assertEquals("a ScaledObject has at least one trigger: readings is empty", e.getMessage());
    }
}
