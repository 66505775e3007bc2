package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.aws.LoggedRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the AWS simulator's request log says about a fleet's readings: when each table's stream was last described
 * successfully (the age of the data a decision can use), and how many calls AWS throttled.
 *
 * @param lastRead    table name → time of its last successful DescribeStream
 * @param throttled   calls answered LimitExceededException or another throttling code
 * @param describes   successful DescribeStream calls
 * @param firstCall   the first request of the log, empty when none
 */
public record AwsLogReadings(Map<String, Instant> lastRead, long throttled, long describes, Optional<Instant> firstCall) {

    /** AWS's throttling answers (DynamoDB Streams: LimitExceededException; the SDK's throttling codes). */
    static final java.util.Set<String> THROTTLING = java.util.Set.of("LimitExceededException", "ThrottlingException",
            "ProvisionedThroughputExceededException", "RequestLimitExceeded");

    public static AwsLogReadings of(List<LoggedRequest> log) {
        Map<String, Instant> last = new HashMap<>();
        long throttled = 0;
        long describes = 0;
        for (LoggedRequest r : log) {
            if (r.errorCode() != null && THROTTLING.contains(r.errorCode())) {
                throttled++;
            }
            if ("DescribeStream".equals(r.operation()) && r.succeeded()) {
                describes++;
                tableOf(r.resource()).ifPresent(t -> last.merge(t, r.at(), (a, b) -> a.isAfter(b) ? a : b));
            }
        }
        Optional<Instant> first = log.stream().map(LoggedRequest::at).min(Instant::compareTo);
        return new AwsLogReadings(Map.copyOf(last), throttled, describes, first);
    }

    /** arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL → NAME. */
    static Optional<String> tableOf(String streamArn) {
        if (streamArn == null) {
            return Optional.empty();
        }
        int start = streamArn.indexOf(":table/");
        int end = streamArn.indexOf("/stream/");
        return start < 0 || end < start ? Optional.empty() : Optional.of(streamArn.substring(start + 7, end));
    }

    /** Table name -> time of its first successful DescribeStream. */
    public static Map<String, Instant> firstReads(List<LoggedRequest> log) {
        Map<String, Instant> first = new HashMap<>();
        for (LoggedRequest r : log) {
            if ("DescribeStream".equals(r.operation()) && r.succeeded()) {
                tableOf(r.resource()).ifPresent(t -> first.merge(t, r.at(), (a, b) -> a.isBefore(b) ? a : b));
            }
        }
        return first;
    }

    /** Tables of {@code tables} never described successfully. */
    public long neverRead(Collection<String> tables) {
        return tables.stream().filter(t -> !lastRead.containsKey(t)).count();
    }

    /**
     * The oldest reading's age at {@code now} among {@code tables}; a table never read counts from {@code since}
     * (it has had no reading for that long).
     */
    public Duration oldestAge(Collection<String> tables, Instant since, Instant now) {
        return tables.stream().map(t -> Duration.between(lastRead.getOrDefault(t, since), now))
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
