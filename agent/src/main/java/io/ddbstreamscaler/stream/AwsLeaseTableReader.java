package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.stream.ProbeException.Kind;
import io.ddbstreamscaler.stream.RetryingCaller.Attempts;
import io.ddbstreamscaler.stream.RetryingCaller.CallFailed;
import io.ddbstreamscaler.stream.kcl.LeaseItem;
import io.ddbstreamscaler.stream.kcl.LeaseItems;
import io.ddbstreamscaler.stream.kcl.LeaseSnapshot;
import io.ddbstreamscaler.trigger.TriggerConfig;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads a KCL lease table with a paged Scan ({@code kclLeaseTable}): only leaseKey, checkpoint and leaseOwner are
 * projected, pages follow LastEvaluatedKey, and every call (retries included) is paid from the shared AWS call budget
 * under a key of its own, so lease reads never delay a DescribeStream. Eventually consistent: a lease a moment old
 * only overstates the work left (SHARD_END is final).
 * <p>
 * Why the SDK and not camel-aws2-ddb's {@code Scan} operation from a route: that producer sends no
 * ProjectionExpression (every attribute of every lease would be read), makes one page per exchange (the route would
 * page by itself), holds one client per endpoint URI (a client per trigger identity, region and assumed role would
 * need an endpoint each, outside {@link AwsClientCache}), and would need the budget and the typed errors below added
 * around it anyway; its endpoint also creates a missing table unless told not to.
 */
final class AwsLeaseTableReader {

    /** Items per page: a lease table holds one item per shard, so a few pages at most. */
    static final int PAGE_LIMIT = 1000;
    /**
     * A lease table this large is not one (a table holds one lease per shard of the last 24 h): stop before a wrong
     * {@code kclLeaseTable} scans a data table every poll.
     */
    static final int MAX_PAGES = 20;

    private static final String PROJECTION = "#k, #c, #o";
    // Expression attribute names, so no attribute can clash with a DynamoDB reserved word.
    private static final Map<String, String> NAMES = Map.of("#k", LeaseItems.LEASE_KEY, "#c", LeaseItems.CHECKPOINT,
            "#o", LeaseItems.LEASE_OWNER);

    private final AwsClientCache clients;
    private final RetryingCaller caller;

    AwsLeaseTableReader(AwsClientCache clients, RetryingCaller caller) {
        this.clients = clients;
        this.caller = caller;
    }

    /** The budget key of lease reads: the trigger's account and region, a bucket apart from DescribeStream's. */
    static AwsCallBudget.Key budgetKey(TriggerConfig t) {
        AwsCallBudget.Key stream = AwsShardCounter.budgetKey(t);
        return new AwsCallBudget.Key(stream.principal() + "/Scan", stream.region());
    }

    /** Every page of the trigger's lease table; a missing or unreadable table is a typed failure, never "no leases". */
    LeaseSnapshot scan(TriggerConfig t, Attempts attempts) {
        String table = t.kclLeaseTable().name();
        AwsCall call = AwsCall.scanLeases(table, t.awsRegion());
        AwsClientCache.Clients c = clients.get(t, t.kclLeaseTable().endpointFor(t));
        AwsCallBudget.Key budget = budgetKey(t);
        Map<String, LeaseItem> leases = new HashMap<>();
        int skipped = 0;
        int pages = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            if (pages == MAX_PAGES) {
                throw new ProbeException(Kind.INVALID_CONFIG, call.describe() + ": more than " + MAX_PAGES * PAGE_LIMIT
                        + " items: a KCL lease table holds one item per shard; check kclLeaseTable (the consumer's"
                        + " lease table, named after its KCL application)", attempts.calls(), null);
            }
            Map<String, AttributeValue> exclusiveStart = startKey;
            ScanResponse page;
            try {
                page = caller.call("Scan " + table, budget, attempts, () -> c.dynamoDb().scan(r -> r.tableName(table)
                        .projectionExpression(PROJECTION).expressionAttributeNames(NAMES).limit(PAGE_LIMIT)
                        .exclusiveStartKey(exclusiveStart)));
            } catch (CallFailed f) {
                if (AwsFailures.isNotFound(f.cause)) {
                    throw new ProbeException(Kind.TABLE_NOT_FOUND, "KCL lease table " + table + " not found in region "
                            + t.awsRegion() + ": check kclLeaseTable (the consumer's lease table, named after its KCL"
                            + " application) and kclLeaseTableEndpoint; the shards are not counted without it",
                            attempts.calls(), f.cause);
                }
                throw AwsFailures.translate(f.cause, call, t.auth(), f.attempts, attempts.calls());
            }
            pages++;
            int before = leases.size();
            int skippedHere = LeaseItems.addAll(page.items(), leases);
            skipped += skippedHere;
            // Items, none of them a lease: another table was named. Stop at the first page rather than scan it all.
            if (pages == 1 && !page.items().isEmpty() && leases.size() == before) {
                throw new ProbeException(Kind.INVALID_CONFIG, call.describe() + ": its items have no leaseKey: it is"
                        + " not a KCL lease table; check kclLeaseTable", attempts.calls(), null);
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return new LeaseSnapshot(leases, skipped, pages);
    }
}
