package io.ddbstreamscaler.election;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without leader election this agent leads every ScaledObject, whatever the pass was given. */
class LeadershipTest {

    @Test
    void withoutElectionThisAgentLeadsEverything() {
        Leadership everything = Leadership.everything();
        assertEquals(0, everything.held(), "before the first pass");
        assertEquals(Set.of("g0", "g1"), everything.reconcile(List.of("g0", "g1")));
        assertEquals(2, everything.held());
        assertTrue(everything.leads("a group it was never given"));
        assertEquals(Set.of("g0", "g1", "g2"), everything.reconcile(List.of("g0", "g1", "g2"), Map.of("g0", "old-g0")),
                "legacy names change nothing");
        assertEquals(3, everything.held());
        everything.releaseAll();
        assertTrue(everything.leads("g0"), "nothing to hand over");
    }
}
