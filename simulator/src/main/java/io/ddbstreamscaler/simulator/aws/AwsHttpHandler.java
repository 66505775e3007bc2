package io.ddbstreamscaler.simulator.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes one HTTP request: {@code X-Amz-Target: DynamoDB_20120810.Op} or {@code DynamoDBStreams_20120810.Op} to the
 * JSON API, a form body with {@code Action=} to STS. Applies the faults, answers, and logs the request.
 */
public final class AwsHttpHandler implements HttpHandler {

    private final JsonApi json;
    private final StsApi sts;
    private final Faults faults;
    private final Clock clock;
    private final List<LoggedRequest> log = new CopyOnWriteArrayList<>();

    AwsHttpHandler(AwsState state, Faults faults, StsApi sts, Clock clock) {
        this.json = new JsonApi(state);
        this.sts = sts;
        this.faults = faults;
        this.clock = clock;
    }

    public static AwsHttpHandler create(AwsState state, Faults faults, Clock clock) {
        return new AwsHttpHandler(state, faults, new StsApi(clock), clock);
    }

    public List<LoggedRequest> log() {
        return List.copyOf(log);
    }

    public void clearLog() {
        log.clear();
    }

    /** The access key id of the last AssumeRole answer, null before one. */
    public String lastIssuedAccessKeyId() {
        return sts.last() == null ? null : sts.last().accessKeyId();
    }

    public void stsSessionDuration(java.time.Duration d) {
        sts.sessionDuration(d);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            SigV4Scope scope = SigV4Scope.parse(ex.getRequestHeaders().getFirst("Authorization"));
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            boolean token = ex.getRequestHeaders().getFirst("X-Amz-Security-Token") != null;
            int attempt = attempt(ex.getRequestHeaders().getFirst("amz-sdk-request"));
            String key = scope == null ? null : scope.accessKeyId();
            String region = scope == null ? null : scope.region();
            pause();
            if (target != null) {
                String op = target.substring(target.indexOf('.') + 1);
                JsonNode req = body.length == 0 ? JsonApi.JSON.createObjectNode() : JsonApi.JSON.readTree(body);
                String resource = firstText(req, "TableName", "StreamArn");
                String start = JsonApi.text(req, "ExclusiveStartShardId", false);
                Integer limit = req.hasNonNull("Limit") ? req.get("Limit").asInt() : null;
                int status = 200;
                String code = null;
                byte[] out;
                try {
                    SimError fault = faults.check(op, key, false);
                    if (fault != null) {
                        throw fault;
                    }
                    out = json.handle(op, req).toString().getBytes(StandardCharsets.UTF_8);
                } catch (SimError e) {
                    status = e.status();
                    code = e.code();
                    out = JsonApi.error(e);
                    ex.getResponseHeaders().add("x-amzn-ErrorType", e.code());
                }
                log.add(new LoggedRequest(clock.instant(), op, resource, start, limit, key, region, token, attempt,
                        status, code));
                send(ex, status, "application/x-amz-json-1.0", out);
            } else {
                Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
                String action = form.getOrDefault("Action", "");
                int status = 200;
                String code = null;
                String out;
                try {
                    SimError fault = faults.check(action, key, true);
                    if (fault != null) {
                        throw fault;
                    }
                    out = sts.handle(action, form);
                } catch (SimError e) {
                    status = e.status();
                    code = e.code();
                    out = StsApi.error(e);
                }
                log.add(new LoggedRequest(clock.instant(), action, form.get("RoleArn"), null, null, key, region, token,
                        attempt, status, code));
                send(ex, status, "text/xml", out.getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            // A simulator bug must still answer, or the SDK waits for its timeout.
            byte[] out = JsonApi.error(new SimError(500, "InternalServerError", String.valueOf(e)));
            send(ex, 500, "application/x-amz-json-1.0", out);
        }
    }

    private void pause() {
        long ms = faults.latency().toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] out) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    private static String firstText(JsonNode req, String... fields) {
        for (String f : fields) {
            if (req.hasNonNull(f)) {
                return req.get(f).asText();
            }
        }
        return null;
    }

    /** {@code amz-sdk-request: attempt=2; max=4} → 2. */
    static int attempt(String header) {
        if (header == null) {
            return 0;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith("attempt=")) {
                try {
                    return Integer.parseInt(p.substring(8));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
