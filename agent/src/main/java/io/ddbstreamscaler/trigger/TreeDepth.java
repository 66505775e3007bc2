package io.ddbstreamscaler.trigger;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Checks a loaded YAML tree for cycles (recursive aliases) and for nesting deeper than a limit. Shared nodes (aliases)
 * are visited once, so an alias-heavy document costs its size, not its expanded size.
 */
final class TreeDepth {

    private final IdentityHashMap<Object, Integer> done = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Boolean> onPath = new IdentityHashMap<>();
    private final int limit;
    private String problem;

    private TreeDepth(int limit) {
        this.limit = limit;
    }

    /** Null when the tree is fine, else what is wrong with it. */
    static String check(Object root, int limit) {
        TreeDepth check = new TreeDepth(limit);
        check.depth(root, 1);
        return check.problem;
    }

    private int depth(Object node, int level) {
        if (problem != null) {
            return 0;
        }
        if (level > limit) {
            problem = "nests deeper than " + limit + " levels";
            return 0;
        }
        Collection<?> children;
        if (node instanceof Map<?, ?> map) {
            children = map.values();
        } else if (node instanceof Collection<?> list) {
            children = list;
        } else {
            return 1;
        }
        if (onPath.containsKey(node)) {
            problem = "contains a recursive alias";
            return 0;
        }
        Integer known = done.get(node);
        if (known != null) {
            if (level + known - 1 > limit) {
                problem = "nests deeper than " + limit + " levels";
            }
            return known;
        }
        onPath.put(node, Boolean.TRUE);
        int deepest = 0;
        for (Object child : children) {
            deepest = Math.max(deepest, depth(child, level + 1));
        }
        onPath.remove(node);
        done.put(node, deepest + 1);
        return deepest + 1;
    }
}
