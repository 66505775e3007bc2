package io.ddbstreamscaler.trigger;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Reads {@code kclLeaseTable} and {@code kclLeaseTableEndpoint}, and the rules between them and the keys beside them.
 * Both are beyond KEDA; without them the trigger counts shards exactly as KEDA does.
 */
final class KclLeaseTableParser {

    static final String TABLE = "kclLeaseTable";
    static final String ENDPOINT = "kclLeaseTableEndpoint";

    /**
     * DynamoDB's table name rule (3 to 255 of a-z, A-Z, 0-9, '_', '-', '.'):
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
     */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private KclLeaseTableParser() {
    }

    /** The lease table, or null when unset or wrong (each problem reported on its field). */
    static KclLeaseTable parse(MetadataValues metadata, Problems problems) {
        String name = metadata.string(TABLE);
        URI endpoint = metadata.url(ENDPOINT);
        if (name == null) {
            if (metadata.string(ENDPOINT) != null) {
                problems.add(metadata.field(ENDPOINT), "is set without " + TABLE + ": set " + TABLE
                        + " to the consumer's KCL lease table, or remove " + ENDPOINT);
            }
            return null;
        }
        boolean ok = true;
        if (!TABLE_NAME.matcher(name).matches()) {
            problems.add(metadata.field(TABLE), "must be a DynamoDB table name (3 to 255 of a-z A-Z 0-9 _ - .), got "
                    + YamlView.quote(name) + ": the name of the consumer's KCL lease table, in the trigger's region");
            ok = false;
        }
        // With a lease table the metric is the shards with work left; countClosedShards would choose another metric.
        if (metadata.string("countClosedShards") != null) {
            problems.add(metadata.field("countClosedShards"), "cannot be set with " + TABLE + ": with a lease table the"
                    + " metric is the shards with work left (closed shards count until their lease is at SHARD_END);"
                    + " remove one of the two");
            ok = false;
        }
        if (metadata.string(ENDPOINT) != null && endpoint == null) {
            ok = false; // reported by metadata.url
        }
        return ok ? new KclLeaseTable(name, endpoint) : null;
    }
}
