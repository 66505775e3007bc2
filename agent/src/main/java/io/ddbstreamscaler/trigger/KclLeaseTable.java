package io.ddbstreamscaler.trigger;

import java.net.URI;

/**
 * The KCL lease table of the trigger's consumer ({@code kclLeaseTable}): with it, the trigger's metric is the shards
 * with work left, read from the consumer's leases, instead of a count of listed shards. The table is in the trigger's
 * region and account and is read with the trigger's credentials.
 *
 * @param name     the table's name (a KCL application's lease table is named after the application)
 * @param endpoint {@code kclLeaseTableEndpoint}; null: the trigger's {@code awsEndpoint}, else the SDK's own settings
 */
public record KclLeaseTable(String name, URI endpoint) {

    /** The endpoint the lease table is read at: its own, else the trigger's (null: the SDK decides). */
    public URI endpointFor(TriggerConfig trigger) {
        return endpoint != null ? endpoint : trigger.awsEndpoint();
    }
}
