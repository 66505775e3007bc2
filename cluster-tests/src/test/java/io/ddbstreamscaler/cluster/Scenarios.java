package io.ddbstreamscaler.cluster;

import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces whose agents ran a feature of the agent in this run of the suite, in the shipped Role (with the rules
 * docs/deploy.md adds for other targets): LeastPrivilegeIT compares what those agents asked of the API server with
 * the Role's rules.
 */
final class Scenarios {

    private static final Set<String> RAN = new TreeSet<>();

    private Scenarios() {
    }

    static synchronized void ran(String namespace) {
        RAN.add(namespace);
    }

    static synchronized Set<String> namespaces() {
        return Set.copyOf(RAN);
    }
}
