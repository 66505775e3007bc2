package io.ddbstreamscaler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one walk over an exception's causes, for every stage that explains a failure (the AWS probe, the Kubernetes
 * adapters, the routes' error handler). It stops at a cause seen before, so a cycle (a cause that is its own cause,
 * or a longer loop some libraries build) never hangs a poll thread.
 */
public final class Causes {

    private Causes() {
    }

    /** {@code error}, its cause, that one's cause, ..., each once; empty for null. */
    public static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The first of the chain that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        return chain(error).stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The last of the chain: the failure the others wrap; null for null. */
    public static Throwable root(Throwable error) {
        List<Throwable> chain = chain(error);
        return chain.isEmpty() ? null : chain.get(chain.size() - 1);
    }

    /** e.g. {@code ConnectException: Connection refused}: the root cause's class and message. */
    public static String rootSummary(Throwable error) {
        Throwable root = root(error);
        if (root == null) {
            return "unknown error";
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
