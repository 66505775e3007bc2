package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.stream.ProbeException.Kind;
import io.ddbstreamscaler.stream.RetryingCaller.Attempts;
import io.ddbstreamscaler.stream.RetryingCaller.CallFailed;
import io.ddbstreamscaler.stream.kcl.LeaseCount;
import io.ddbstreamscaler.stream.kcl.LeaseSnapshots;
import io.ddbstreamscaler.stream.kcl.ListedShard;
import io.ddbstreamscaler.stream.kcl.WorkLeft;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts a table's stream shards as KEDA's {@code aws_dynamodb_streams_scaler.go} does: DescribeTable for
 * LatestStreamArn (cached), then DescribeStream pages of 100 following LastEvaluatedShardId until there is none.
 * With {@code kclLeaseTable}, also reads the consumer's lease table (shared between triggers: {@link LeaseSnapshots})
 * and counts the shards with work left ({@link WorkLeft}). Thread-safe; one instance serves every trigger of the agent.
 */
public final class AwsShardCounter implements ShardCounter {

    private static final Logger LOG = LoggerFactory.getLogger(AwsShardCounter.class);

    /** DescribeStream's page maximum. */
    static final int PAGE_LIMIT = 100;

    private final AwsClientCache clients;
    private final StreamArnCache arns;
    private final RetryingCaller caller;
    private final ProbeOptions options;
    private final AwsCallBudget budget;
    private final AwsLeaseTableReader leaseReader;
    private final LeaseSnapshots<LeaseTableKey> leaseSnapshots;
    /**
     * The last stream ARN resolved per (region, endpoint, table name), so a new one is worth a log line. Keyed without
     * the credentials, so rotated keys add no entries: one per table name.
     */
    private final Map<String, String> lastArns = new ConcurrentHashMap<>();

    public AwsShardCounter(ProbeOptions options) {
        this(options, DefaultCredentialsProvider.builder().build());
    }

    /** @param ambient the agent's own credentials: OPERATOR and POD_IDENTITY use them, ROLE assumes roles with them */
    public AwsShardCounter(ProbeOptions options, AwsCredentialsProvider ambient) {
        this(options, ambient, new AwsCallBudget(options.budgetPerSecond(), options.budgetBurst(), options.clock()));
    }

    /** @param budget shared with other counters of the same accounts (one per agent in production) */
    public AwsShardCounter(ProbeOptions options, AwsCredentialsProvider ambient, AwsCallBudget budget) {
        this.options = options;
        this.clients = new AwsClientCache(options, new AwsCredentialsFactory(ambient));
        this.arns = new StreamArnCache(options.arnRefreshPeriod(), options.clock());
        this.caller = new RetryingCaller(options, budget);
        this.budget = budget;
        this.leaseReader = new AwsLeaseTableReader(clients, caller);
        this.leaseSnapshots = new LeaseSnapshots<>(options.clock());
    }

    /** A lease table as one set of clients sees it (region, endpoint, identity) and its name. */
    record LeaseTableKey(AwsClientCache.ClientKey clients, String table) {
        static LeaseTableKey of(TriggerConfig t) {
            return new LeaseTableKey(AwsClientCache.keyOf(t, t.kclLeaseTable().endpointFor(t)), t.kclLeaseTable().name());
        }
    }

    @Override
    public Booking book(TriggerConfig trigger, int calls) {
        AwsCallBudget.Key key = budgetKey(trigger);
        return new Booking(key, calls, budget.book(key, calls));
    }

    @Override
    public void refund(java.util.Map<AwsCallBudget.Key, Integer> unspent) {
        unspent.forEach(budget::refund);
    }

    @Override
    public double budgetPerSecond() {
        return budget.perSecond();
    }

    @Override
    public ShardReading count(TriggerConfig trigger) {
        long start = System.nanoTime();
        Attempts attempts = new Attempts();
        AwsAuth auth = trigger.auth();
        try {
            AwsClientCache.Clients c = clients.get(trigger);
            var tableKey = new StreamArnCache.TableKey(AwsClientCache.keyOf(trigger), trigger.tableName());
            var budgetKey = budgetKey(trigger);
            String arn = arns.get(tableKey).orElse(null);
            boolean cached = arn != null;
            if (!cached) {
                arn = resolveArn(c, trigger, tableKey, budgetKey, attempts);
            }
            StreamCount counted;
            try {
                counted = describeAll(c, trigger, arn, budgetKey, attempts);
            } catch (ProbeException e) {
                if (!cached || !worthAskingTheTable(e)) {
                    throw e;
                }
                // A cached ARN that fails oddly may name a stream that is gone: an emulator answers 500 for a disabled
                // stream (moto 5.2.1, docs/moto.md). DescribeTable says whether the table still has it.
                arns.invalidate(tableKey);
                String fresh = resolveArn(c, trigger, tableKey, budgetKey, attempts);
                if (fresh.equals(arn)) {
                    throw e;
                }
                arn = fresh;
                cached = false;
                counted = describeAll(c, trigger, arn, budgetKey, attempts);
            }
            // A cached ARN may name a stream that was disabled (and maybe re-enabled under a new ARN): ask again once.
            if (counted == null || isDisabled(counted.status)) {
                arns.invalidate(tableKey);
                if (cached) {
                    arn = resolveArn(c, trigger, tableKey, budgetKey, attempts);
                    counted = describeAll(c, trigger, arn, budgetKey, attempts);
                }
                if (counted == null || isDisabled(counted.status)) {
                    arns.invalidate(tableKey);
                    throw notEnabled(trigger, attempts);
                }
            }
            LeaseCount leases = trigger.kclLeaseTable() == null ? null : countLeases(trigger, counted.listed, attempts);
            return new ShardReading(arn, counted.status, counted.tally.total(), counted.tally.open(),
                    counted.tally.closed(), attempts.calls(), System.nanoTime() - start, leases);
        } catch (SdkException e) {
            // Failures outside a call (building a client, an interrupted wait): nothing was learnt from AWS.
            throw AwsFailures.translate(e, AwsCall.counting(trigger.tableName(), trigger.awsRegion()), auth, 1,
                    attempts.calls());
        }
    }

    /** An answer from AWS that is neither throttling nor about the caller's rights: the stream itself may be gone. */
    private static boolean worthAskingTheTable(ProbeException e) {
        return (e.kind() == Kind.UNAVAILABLE || e.kind() == Kind.REQUEST_REJECTED)
                && AwsFailures.serviceCause(e.getCause()) != null;
    }

    /** @param listed the shards, kept only for a trigger with a lease table (null otherwise) */
    private record StreamCount(String status, ShardTally tally, List<ListedShard> listed) {
    }

    /**
     * The lease-aware count over this poll's listing. The lease read may be another trigger's, begun after this
     * trigger's previous poll (one Scan per interval per table); a failure is this trigger's, with its own calls.
     */
    private LeaseCount countLeases(TriggerConfig t, List<ListedShard> listed, Attempts attempts) {
        LeaseSnapshots.Read read;
        try {
            read = leaseSnapshots.get(LeaseTableKey.of(t), t, () -> leaseReader.scan(t, attempts));
        } catch (ProbeException e) {
            throw e.awsCalls() == attempts.calls() ? e
                    : new ProbeException(e.kind(), e.getMessage(), attempts.calls(), e.getCause());
        }
        LeaseCount count = WorkLeft.count(t.kclLeaseTable().name(), listed, read.snapshot());
        long age = Duration.between(read.startedAt(), options.clock().instant()).toSeconds();
        return read.scanned() ? count : count.withSnapshotAge(Math.max(0, age));
    }

    /** DescribeTable's LatestStreamArn, cached; a change of ARN is logged (the stream was replaced). */
    private String resolveArn(AwsClientCache.Clients c, TriggerConfig t, StreamArnCache.TableKey tableKey,
                              AwsCallBudget.Key budgetKey, Attempts attempts) {
        String arn = describeTable(c, t, budgetKey, attempts);
        arns.put(tableKey, arn);
        String previous = lastArns.put(t.awsRegion() + " " + tableKey.clients().endpoint() + " " + t.tableName(), arn);
        // Same table ARN (same account), another stream: the stream was replaced. Another account's table of the same
        // name is no replacement.
        if (previous != null && !previous.equals(arn) && tableArn(previous).equals(tableArn(arn))) {
            LOG.info("table {} in {}: its stream was replaced: counting {} (was {})", t.tableName(), t.awsRegion(),
                    arn, previous);
        }
        return arn;
    }

    /** arn:…:table/NAME/stream/LABEL → arn:…:table/NAME */
    private static String tableArn(String streamArn) {
        int at = streamArn.indexOf("/stream/");
        return at < 0 ? streamArn : streamArn.substring(0, at);
    }

    private String describeTable(AwsClientCache.Clients c, TriggerConfig t, AwsCallBudget.Key budgetKey,
                                 Attempts attempts) {
        TableDescription table;
        AwsCall call = AwsCall.describeTable(t.tableName(), t.awsRegion());
        try {
            // DescribeTable is a DynamoDB control-plane call with its own limit: it gets a bucket of its own, so that
            // 1,000 tables resolving their ARNs at start-up do not queue every DescribeStream behind them.
            var tableBudget = new AwsCallBudget.Key(budgetKey.principal() + "/DescribeTable", budgetKey.region());
            table = caller.call("DescribeTable " + t.tableName(), tableBudget, attempts,
                    () -> c.dynamoDb().describeTable(r -> r.tableName(t.tableName())).table());
        } catch (CallFailed f) {
            if (AwsFailures.isNotFound(f.cause)) {
                throw AwsFailures.tableNotFound(call, f.cause, attempts.calls());
            }
            throw AwsFailures.translate(f.cause, call, t.auth(), f.attempts, attempts.calls());
        }
        boolean enabled = table.streamSpecification() != null
                && Boolean.TRUE.equals(table.streamSpecification().streamEnabled());
        if (table.latestStreamArn() == null || !enabled) {
            throw notEnabled(t, attempts);
        }
        return table.latestStreamArn();
    }

    /** All pages of one stream; null when the stream is gone (ResourceNotFound). */
    private StreamCount describeAll(AwsClientCache.Clients c, TriggerConfig t, String arn,
                                    AwsCallBudget.Key budgetKey, Attempts attempts) {
        ShardTally tally = ShardTally.EMPTY;
        List<ListedShard> listed = t.kclLeaseTable() == null ? null : new ArrayList<>();
        String status = null;
        String startAfter = null;
        do {
            String exclusiveStart = startAfter;
            DescribeStreamResponse page;
            try {
                page = caller.call("DescribeStream " + t.tableName(), budgetKey, attempts, () -> c.streams().describeStream(r -> r.streamArn(arn)
                        .limit(PAGE_LIMIT).exclusiveStartShardId(exclusiveStart)));
            } catch (CallFailed f) {
                if (AwsFailures.isNotFound(f.cause)) {
                    return null;
                }
                throw AwsFailures.translate(f.cause, AwsCall.describeStream(t.tableName(), t.awsRegion()), t.auth(),
                        f.attempts, attempts.calls());
            }
            StreamDescription d = page.streamDescription();
            status = d.streamStatusAsString();
            tally = tally.plus(d.shards());
            if (listed != null) {
                d.shards().forEach(s -> listed.add(listed(s)));
            }
            startAfter = d.lastEvaluatedShardId();
        } while (startAfter != null);
        return new StreamCount(status, tally, listed);
    }

    private static ListedShard listed(Shard s) {
        boolean closed = s.sequenceNumberRange() != null && s.sequenceNumberRange().endingSequenceNumber() != null;
        return new ListedShard(s.shardId(), s.parentShardId(), closed);
    }

    private static boolean isDisabled(String status) {
        return "DISABLED".equals(status) || "DISABLING".equals(status);
    }

    private static ProbeException notEnabled(TriggerConfig t, Attempts attempts) {
        return new ProbeException(Kind.STREAM_NOT_ENABLED, "table " + t.tableName() + " has no stream enabled: "
                + "enable DynamoDB Streams on it", attempts.calls(), null);
    }

    @Override
    public AwsCallBudget.Key budgetKeyOf(TriggerConfig trigger) {
        return budgetKey(trigger);
    }

    /**
     * The budget is per account and region: a role ARN names its account; static keys stand for their own
     * account; the ambient chain is one principal.
     */
    public static AwsCallBudget.Key budgetKey(TriggerConfig t) {
        AwsAuth a = t.auth();
        String principal = switch (a.method()) {
            case STATIC -> "key:" + a.accessKeyId();
            case ROLE, POD_IDENTITY -> a.roleArn() != null ? "account:" + accountOf(a.roleArn()) : "ambient";
            case OPERATOR -> "ambient";
        };
        return new AwsCallBudget.Key(principal, t.awsRegion());
    }

    /** arn:partition:iam::ACCOUNT:role/name → ACCOUNT; the whole ARN when it is not of that shape. */
    static String accountOf(String roleArn) {
        String[] parts = roleArn.split(":", 6);
        return parts.length == 6 && !parts[4].isEmpty() ? parts[4] : roleArn;
    }

    /** Client sets built so far: one per (region, endpoint, credentials). */
    /**
     * Loads the SDK's client, signing, marshalling and HTTP classes (about 0.9 s of the first poll on 2 cores) on a
     * spare core while Camel starts: one DescribeStream and one DescribeTable to a closed loopback port, which fail at
     * once. No AWS endpoint is contacted and no credential is used.
     */
    @Override
    public void warmUp() {
        var nobody = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("warm-up", "warm-up"));
        var closedPort = java.net.URI.create("http://127.0.0.1:9");
        try (var http = software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofMillis(200)).build();
             var streams = software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder()
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(nobody)
                     .endpointOverride(closedPort).httpClient(http)
                     .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                     .build();
             var ddb = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(nobody)
                     .endpointOverride(closedPort).httpClient(http)
                     .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                     .build()) {
            try {
                streams.describeStream(r -> r.streamArn("arn:aws:dynamodb:us-east-1:000000000000:table/warm-up/stream/0"));
            } catch (RuntimeException expected) {
                // Connection refused: the classes are loaded, which is all this was for.
            }
            try {
                ddb.describeTable(r -> r.tableName("warm-up"));
            } catch (RuntimeException expected) {
                // As above.
            }
        } catch (RuntimeException e) {
            // A warm-up that fails costs nothing but the time it saves: the first poll loads the classes instead.
        }
    }

    public int clientCount() {
        return clients.size();
    }

    /** Closes the clients and forgets the stream ARNs and lease reads of every identity and table no live trigger uses. */
    @Override
    public void retainOnly(java.util.Collection<TriggerConfig> live) {
        clients.retainOnly(live);
        arns.retainOnly(live.stream().map(t -> new StreamArnCache.TableKey(AwsClientCache.keyOf(t), t.tableName()))
                .collect(java.util.stream.Collectors.toSet()));
        leaseSnapshots.retainOnly(live.stream().filter(t -> t.kclLeaseTable() != null).map(LeaseTableKey::of)
                .collect(java.util.stream.Collectors.toSet()), live);
    }

    /** Lease tables whose last read is kept; for tests of {@link #retainOnly}. */
    int cachedLeaseTableCount() {
        return leaseSnapshots.size();
    }

    /** Stream ARNs cached; for tests of {@link #retainOnly}. */
    int cachedArnCount() {
        return arns.size();
    }

    public ProbeOptions options() {
        return options;
    }

    @Override
    public void close() {
        clients.close();
    }
}
