package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The depth and cycle check on a loaded tree, at its edges: the limit itself, a shared node (a YAML alias) met again
 * deeper than where it was first measured, and the first problem kept when a tree has two.
 */
class TreeDepthTest {

    /** A list nesting {@code levels} deep: [[...["x"]...]] is {@code levels} + 1 levels with its scalar. */
    private static Object nested(int levels) {
        Object node = "x";
        for (int i = 0; i < levels; i++) {
            node = List.of(node);
        }
        return node;
    }

    private static Map<String, Object> mapping(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aScalarAndAnEmptyMappingAreFine() {
        assertNull(TreeDepth.check("x", 1));
        assertNull(TreeDepth.check(Map.of(), 1));
        assertNull(TreeDepth.check(List.of(), 1));
    }

    @Test
    void theLimitItselfIsFineAndOneLevelMoreIsNot() {
        // A mapping holding a list holding a scalar: 3 levels.
        Map<String, Object> three = mapping("a", nested(1));
        assertNull(TreeDepth.check(three, 3));
        assertEquals("nests deeper than 2 levels", TreeDepth.check(three, 2));
        assertNull(TreeDepth.check(nested(9), 10));
        assertEquals("nests deeper than 9 levels", TreeDepth.check(nested(9), 9));
    }

    @Test
    void aSharedNodeMetAgainAtTheSameLevelIsFine() {
        Object shared = nested(2);   // 3 levels
        // Both at level 2: 2 + 3 - 1 = 4 levels, the limit.
        assertNull(TreeDepth.check(mapping("a", shared, "b", shared), 4));
    }

    @Test
    void aSharedNodeMetAgainDeeperIsMeasuredFromThere() {
        Object shared = nested(2);   // 3 levels
        // First at level 2 (4 levels in all), then at level 3 under a list: 5 levels.
        assertNull(TreeDepth.check(mapping("a", shared, "b", List.of(shared)), 5));
        assertEquals("nests deeper than 4 levels", TreeDepth.check(mapping("a", shared, "b", List.of(shared)), 4));
    }

    @Test
    void aParentOfASharedNodeCountsTheSharedNodesDepth() {
        Object shared = nested(2);                        // 3 levels
        Map<String, Object> parent = mapping("s", shared); // 4 levels, the shared node's depth read from the first visit
        // a: shared at level 2; b: parent at level 2, shared again at level 3 (5 levels);
        // c: parent again at level 4, under two lists: 4 + 4 - 1 = 7 levels.
        Map<String, Object> root = mapping("a", shared, "b", parent, "c", List.of(List.of(parent)));
        assertNull(TreeDepth.check(root, 7));
        assertEquals("nests deeper than 6 levels", TreeDepth.check(root, 6));
    }

    @Test
    void aNodeThatHoldsItselfIsARecursiveAlias() {
        List<Object> loop = new ArrayList<>();
        loop.add("x");
        loop.add(loop);
        assertEquals("contains a recursive alias", TreeDepth.check(mapping("a", loop), 64));

        Map<String, Object> selfMap = new LinkedHashMap<>();
        selfMap.put("self", selfMap);
        assertEquals("contains a recursive alias", TreeDepth.check(selfMap, 64));
    }

    @Test
    void theFirstProblemFoundIsTheOneReported() {
        List<Object> loop = new ArrayList<>();
        loop.add(loop);
        assertEquals("contains a recursive alias", TreeDepth.check(mapping("a", loop, "b", nested(10)), 5));
        assertEquals("nests deeper than 5 levels", TreeDepth.check(mapping("a", nested(10), "b", loop), 5));
    }
}
