package io.ddbstreamscaler.fault;

/** What the loader must do with one malformed document: decided per case, asserted exactly. */
enum Outcome {
    /** At least one ConfigError, and the expected one among them; no warning is enough. */
    REJECTED(true, 0),
    /**
     * A ConfigError when Secrets are looked up in a cluster (the agent); offline ({@code validate}, which has no
     * cluster) the Secret is "resolved at run time" and only a note is given.
     */
    REJECTED_WHEN_CLUSTER_CHECKED(true, 0),
    /** Not an error: one of our kinds that is not ours to read (another API group, no DynamoDB trigger), with a warning. */
    SKIPPED_WITH_WARNING(false, 1),
    /** Not an error nor a warning: a ScaledObject with no trigger of ours, named in the loader's skipped notes. */
    SKIPPED_WITH_NOTE(false, 0),
    /** Another kind: silently ignored, since a whole manifest folder may be given. */
    IGNORED(false, 0);

    /** Whether the loader (with a cluster to look Secrets up in) reports errors. */
    final boolean errors;
    /** How many warnings the loader gives: none for an error, which says enough. */
    final int warnings;

    Outcome(boolean errors, int warnings) {
        this.errors = errors;
        this.warnings = warnings;
    }
}
