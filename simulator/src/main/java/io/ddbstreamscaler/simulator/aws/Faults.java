package io.ddbstreamscaler.simulator.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulator does wrong on purpose: rate limits per operation, errors for the next N calls or for a
 * period, latency, rejected or denied access keys. Checked in that order of AWS's own: authentication, then
 * authorization, then throttling, then the service's own faults.
 */
public final class Faults {

    /** Any operation. */
    public static final String ANY = "*";

    private record RateLimit(CallRate rate, String code) {
    }

    private record Injected(int remaining, int status, String code) {
    }

    private record Window(Instant until, int status, String code) {
    }

    private final Clock clock;
    private final Map<String, RateLimit> limits = new ConcurrentHashMap<>();
    private final Map<String, Injected> next = new ConcurrentHashMap<>();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Set<String> rejectedKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> deniedKeys = ConcurrentHashMap.newKeySet();
    private volatile Duration latency = Duration.ZERO;

    public Faults(Clock clock) {
        this.clock = clock;
    }

    /** AWS answers {@code code} (LimitExceededException for DescribeStream) past {@code perSecond}. */
    public void rateLimit(String operation, double perSecond, int burst, String code) {
        limits.put(operation, new RateLimit(new CallRate(perSecond, burst, clock), code));
    }

    /** The next {@code count} calls of {@code operation} (or {@link #ANY}) fail with {@code status}/{@code code}. */
    public void failNext(String operation, int count, int status, String code) {
        next.put(operation, new Injected(count, status, code));
    }

    /** Calls of {@code operation} fail with {@code status}/{@code code} for {@code period}. */
    public void failFor(String operation, Duration period, int status, String code) {
        windows.put(operation, new Window(clock.instant().plus(period), status, code));
    }

    public void latency(Duration perRequest) {
        latency = perRequest;
    }

    public void rejectAccessKey(String accessKeyId) {
        rejectedKeys.add(accessKeyId);
    }

    public void denyAccessKey(String accessKeyId) {
        deniedKeys.add(accessKeyId);
    }

    public void clear() {
        limits.clear();
        next.clear();
        windows.clear();
        rejectedKeys.clear();
        deniedKeys.clear();
        latency = Duration.ZERO;
    }

    Duration latency() {
        return latency;
    }

    /** The error a DynamoDB (JSON protocol) call gets instead of doing {@code operation}, or null. */
    public SimError check(String operation, String accessKeyId) {
        return check(operation, accessKeyId, false);
    }

    /** The error to answer instead of doing {@code operation}, or null; STS spells the codes its own way. */
    SimError check(String operation, String accessKeyId, boolean sts) {
        if (accessKeyId != null && rejectedKeys.contains(accessKeyId)) {
            return sts ? new SimError(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
                    : new SimError(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (accessKeyId != null && deniedKeys.contains(accessKeyId)) {
            return sts ? new SimError(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole")
                    : new SimError(400, "AccessDeniedException", "User is not authorized to perform: dynamodb:" + operation);
        }
        RateLimit limit = limits.get(operation);
        if (limit != null && !limit.rate().admit()) {
            return new SimError(400, limit.code(), "Rate exceeded for " + operation);
        }
        SimError injected = takeInjected(operation);
        if (injected == null) {
            injected = takeInjected(ANY);
        }
        if (injected != null) {
            return injected;
        }
        for (String key : new String[] {operation, ANY}) {
            Window w = windows.get(key);
            if (w != null && clock.instant().isBefore(w.until())) {
                return new SimError(w.status(), w.code(), "injected failure of " + operation);
            }
        }
        return null;
    }

    private SimError takeInjected(String key) {
        Injected[] taken = new Injected[1];
        next.computeIfPresent(key, (k, i) -> {
            taken[0] = i;
            return i.remaining() > 1 ? new Injected(i.remaining() - 1, i.status(), i.code()) : null;
        });
        return taken[0] == null ? null
                : new SimError(taken[0].status(), taken[0].code(), "injected failure of " + key);
    }
}
