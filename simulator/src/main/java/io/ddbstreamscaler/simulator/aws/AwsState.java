package io.ddbstreamscaler.simulator.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** Tables, their streams and shard trees. Every method is synchronized: the HTTP threads and scenarios share it. */
public final class AwsState {

    public static final String ACCOUNT = "123456789012";

    /** A table as DescribeTable shows it. */
    public record TableView(String name, String latestStreamArn, boolean streamEnabled, Instant createdAt) {
    }

    /** A stream as DescribeStream shows it (all shards, in page order). */
    public record StreamView(String arn, String label, String tableName, String status, Instant createdAt,
                             List<SimShard> shards) {
    }

    private static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final String region;
    private final Duration retention;
    private final Map<String, TableView> tables = new HashMap<>();
    private final Map<String, SimStream> streams = new HashMap<>();
    /** Tables that hold items (a KCL lease table), by name: hash key attribute and items by hash key, in key order. */
    private final Map<String, ItemTable> itemTables = new HashMap<>();
    private Instant lastLabel = Instant.EPOCH;

    public AwsState(Clock clock, String region, Duration retention) {
        this.clock = clock;
        this.region = region;
        this.retention = retention;
    }

    public synchronized void createTable(String name, int openShards) {
        createTableWithoutStream(name);
        enableStream(name, openShards);
    }

    public synchronized void createTableWithoutStream(String name) {
        if (tables.containsKey(name)) {
            throw new IllegalArgumentException("table " + name + " exists");
        }
        tables.put(name, new TableView(name, null, false, clock.instant()));
    }

    public synchronized void deleteTable(String name) {
        TableView t = table(name);
        tables.remove(name);
        itemTables.remove(name);
        if (t.latestStreamArn() != null) {
            streams.get(t.latestStreamArn()).status = "DISABLED";
        }
    }

    /** Enables a new stream with {@code openShards} shards: a new ARN every time, as AWS does. */
    public synchronized String enableStream(String name, int openShards) {
        TableView t = table(name);
        if (t.streamEnabled()) {
            throw new IllegalArgumentException("table " + name + " already has stream " + t.latestStreamArn());
        }
        Instant now = clock.instant();
        // Labels are timestamps to the millisecond (2026-01-01T00:00:00.000); unique even when the clock stands still.
        Instant ms = now.truncatedTo(ChronoUnit.MILLIS);
        Instant label = ms.isAfter(lastLabel) ? ms : lastLabel.plusMillis(1);
        lastLabel = label;
        String labelText = LABEL.format(label);
        String arn = "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/" + name + "/stream/" + labelText;
        SimStream s = new SimStream(arn, labelText, name, now);
        for (int i = 0; i < openShards; i++) {
            s.open(null);
        }
        streams.put(arn, s);
        tables.put(name, new TableView(name, arn, true, t.createdAt()));
        return arn;
    }

    /** Disables the table's stream: DescribeTable keeps the old LatestStreamArn, DescribeStream says DISABLED. */
    public synchronized void disableStream(String name) {
        TableView t = table(name);
        if (!t.streamEnabled()) {
            throw new IllegalArgumentException("table " + name + " has no enabled stream");
        }
        streams.get(t.latestStreamArn()).status = "DISABLED";
        tables.put(name, new TableView(name, t.latestStreamArn(), false, t.createdAt()));
    }

    /** A table without a stream that holds items with a string hash key: a KCL lease table's is {@code leaseKey}. */
    public synchronized void createItemTable(String name, String hashKey) {
        createTableWithoutStream(name);
        itemTables.put(name, new ItemTable(hashKey, new TreeMap<>()));
    }

    /** Puts an item, replacing the one of the same key. Values are DynamoDB JSON ({@code {"S": "..."}}). */
    public synchronized void putItem(String table, Map<String, Map<String, Object>> item) {
        ItemTable t = itemTable(table);
        Object key = item.containsKey(t.hashKey()) ? item.get(t.hashKey()).get("S") : null;
        if (!(key instanceof String k)) {
            throw new IllegalArgumentException("item of " + table + " without a string " + t.hashKey());
        }
        t.items().put(k, Map.copyOf(item));
    }

    public synchronized void deleteItem(String table, String key) {
        itemTable(table).items().remove(key);
    }

    /** Every item of the table, in key order. */
    public synchronized List<Map<String, Map<String, Object>>> items(String table) {
        return List.copyOf(itemTable(table).items().values());
    }

    /** One Scan page: up to {@code limit} items after {@code exclusiveStartKey} (null: from the first). */
    public synchronized ScanPage scan(String table, String exclusiveStartKey, int limit) {
        TableView view = tables.get(table);
        if (view == null) {
            throw SimError.notFound("Table: " + table + " not found");
        }
        ItemTable t = itemTables.get(table);
        if (t == null) {
            return new ScanPage(null, List.of(), null); // a stream table: the simulator keeps no items of it
        }
        var tail = exclusiveStartKey == null ? t.items() : t.items().tailMap(exclusiveStartKey, false);
        List<Map<String, Map<String, Object>>> page = tail.values().stream().limit(limit).toList();
        String last = page.isEmpty() ? null : (String) page.get(page.size() - 1).get(t.hashKey()).get("S");
        String lastEvaluated = last != null && t.items().higherKey(last) != null ? last : null;
        return new ScanPage(t.hashKey(), page, lastEvaluated);
    }

    /** A Scan page and the key to continue after, null on the last page. */
    public record ScanPage(String hashKey, List<Map<String, Map<String, Object>>> items, String lastEvaluatedKey) {
    }

    private record ItemTable(String hashKey, NavigableMap<String, Map<String, Map<String, Object>>> items) {
    }

    private ItemTable itemTable(String name) {
        ItemTable t = itemTables.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no item table " + name);
        }
        return t;
    }

    /**
     * DynamoDB Streams closes a shard about every four hours even without a partition split and opens one child in its
     * place; returns the child.
     */
    public synchronized SimShard rollOver(String table, String shardId) {
        return liveStream(table).split(shardId, 1, clock.instant()).get(0);
    }

    /** Splits open shards of the table's stream, oldest first, each into two children; returns the new shards. */
    public synchronized List<SimShard> split(String table, int shards) {
        SimStream s = liveStream(table);
        List<SimShard> open = s.openShards();
        if (shards > open.size()) {
            throw new IllegalArgumentException("table " + table + " has " + open.size() + " open shards, asked " + shards);
        }
        Instant now = clock.instant();
        return open.subList(0, shards).stream().flatMap(o -> s.split(o.shardId(), 2, now).stream()).toList();
    }

    public synchronized List<SimShard> splitShard(String table, String shardId) {
        return liveStream(table).split(shardId, 2, clock.instant());
    }

    /** Expires closed shards past the retention in every stream; returns how many went. */
    public synchronized int expireClosedShards() {
        Instant now = clock.instant();
        return streams.values().stream().mapToInt(s -> s.expire(now, retention)).sum();
    }

    public synchronized Optional<TableView> findTable(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** One DescribeStream page; closed shards past the retention are dropped first. */
    public synchronized StreamPage describeStream(String arn, String exclusiveStart, int limit) {
        SimStream s = streams.get(arn);
        if (s == null) {
            throw SimError.notFound("Stream: " + arn + " not found");
        }
        s.expire(clock.instant(), retention);
        List<SimShard> page = s.page(exclusiveStart, limit);
        String last = page.isEmpty() ? null : page.get(page.size() - 1).shardId();
        String lastEvaluated = last != null && s.hasAfter(last) ? last : null;
        return new StreamPage(new StreamView(s.arn, s.label, s.tableName, s.status, s.createdAt, page), lastEvaluated);
    }

    /** A page and the LastEvaluatedShardId to continue from, null on the last page. */
    public record StreamPage(StreamView stream, String lastEvaluatedShardId) {
    }

    /** Streams of one table (or all), enabled or not, in ARN order. */
    public synchronized List<StreamView> listStreams(String tableName) {
        return streams.values().stream()
                .filter(s -> tableName == null || s.tableName.equals(tableName))
                .sorted((a, b) -> a.arn.compareTo(b.arn))
                .map(s -> new StreamView(s.arn, s.label, s.tableName, s.status, s.createdAt, List.of()))
                .toList();
    }

    public synchronized StreamView stream(String table) {
        SimStream s = liveStream(table);
        return new StreamView(s.arn, s.label, s.tableName, s.status, s.createdAt, s.shards());
    }

    public String region() {
        return region;
    }

    private TableView table(String name) {
        TableView t = tables.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no table " + name);
        }
        return t;
    }

    private SimStream liveStream(String table) {
        TableView t = table(table);
        if (t.latestStreamArn() == null) {
            throw new IllegalArgumentException("table " + table + " has no stream");
        }
        return streams.get(t.latestStreamArn());
    }
}
