package io.ddbstreamscaler.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DescribeTable's LatestStreamArn per table, so a poll costs only DescribeStream pages. An entry is dropped when
 * DescribeStream says the stream is gone or disabled, and is stale after {@code refreshPeriod}: disabling and
 * re-enabling a stream gives it a new ARN while the old one still answers (as DISABLED) for 24 hours.
 */
public final class StreamArnCache {

    /** A table as one set of clients sees it: same name in another region or account is another table. */
    public record TableKey(AwsClientCache.ClientKey clients, String tableName) {
    }

    private record Entry(String arn, Instant resolvedAt) {
    }

    private final Duration refreshPeriod;
    private final Clock clock;
    private final Map<TableKey, Entry> entries = new ConcurrentHashMap<>();

    public StreamArnCache(Duration refreshPeriod, Clock clock) {
        this.refreshPeriod = refreshPeriod;
        this.clock = clock;
    }

    /** The cached ARN, unless absent or older than the refresh period. */
    public Optional<String> get(TableKey key) {
        Entry e = entries.get(key);
        if (e == null || !clock.instant().isBefore(e.resolvedAt().plus(refreshPeriod))) {
            return Optional.empty();
        }
        return Optional.of(e.arn());
    }

    public void put(TableKey key, String arn) {
        entries.put(key, new Entry(arn, clock.instant()));
    }

    public void invalidate(TableKey key) {
        entries.remove(key);
    }

    /** Forgets every table no live trigger reads (a rotated key's entries would otherwise stay forever). */
    public void retainOnly(Set<TableKey> live) {
        entries.keySet().retainAll(live);
    }

    public int size() {
        return entries.size();
    }
}
