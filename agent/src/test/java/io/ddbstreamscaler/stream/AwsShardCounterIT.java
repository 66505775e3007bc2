package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import io.ddbstreamscaler.stream.ProbeException.Kind;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.ddbstreamscaler.stream.Triggers.keys;
import static io.ddbstreamscaler.stream.Triggers.role;
import static io.ddbstreamscaler.stream.Triggers.trigger;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AWS probe with the real SDK over HTTP against the simulator; every expectation checked on its request log. */
class AwsShardCounterIT {

    static final String AMBIENT_KEY = "AKIDAMBIENT0000001";
    static final String STATIC_KEY = "AKIDSTATIC00000001";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String ROLE = "arn:aws:iam::210987654321:role/stream-reader";

    AwsSimulator sim;
    AwsShardCounter counter;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        counter = counter(ProbeOptions.defaults().withBudget(1000, 100));
    }

    @AfterEach
    void stop() {
        counter.close();
        sim.close();
    }

    AwsShardCounter counter(ProbeOptions options) {
        if (counter != null) {
            counter.close();
        }
        ProbeOptions o = options.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withRetries(options.maxAttempts(), Duration.ofMillis(10), Duration.ofMillis(50))
                .withStsEndpoint(sim.endpoint());
        counter = new AwsShardCounter(o, StaticCredentialsProvider.create(AwsBasicCredentials.create(AMBIENT_KEY, SECRET)));
        return counter;
    }

    TriggerConfig orders(AwsAuth auth) {
        return trigger("orders", sim.endpoint(), auth, true);
    }

    static Stream<Arguments> pagingRows() {
        return Stream.of(
                // name, shards, DescribeStream pages per poll (a stream without shards still costs one call)
                Arguments.of("no shards", 0, 1),
                Arguments.of("one shard", 1, 1),
                Arguments.of("exactly one full page", 100, 1),
                Arguments.of("one past a page", 101, 2),
                Arguments.of("ten pages", 1000, 10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pagingRows")
    void pagesWithLimit100AndOneDescribeTablePerStream(String name, int shards, int pages) {
        sim.state().createTable("orders", shards);
        TriggerConfig t = orders(keys(STATIC_KEY, SECRET, null));

        ShardReading first = counter.count(t);
        ShardReading second = counter.count(t);

        List<LoggedRequest> describes = sim.requests("DescribeStream");
        List<String> firstPollStarts = new ArrayList<>();
        describes.subList(0, pages).forEach(r -> firstPollStarts.add(r.exclusiveStartShardId()));
        assertAll(
                () -> assertEquals(shards, first.total()),
                () -> assertEquals(shards, second.total()),
                () -> assertEquals(1 + pages, first.awsCalls(), "first poll: DescribeTable + pages"),
                () -> assertEquals(pages, second.awsCalls(), "second poll: pages only"),
                () -> assertEquals(1, sim.requests("DescribeTable").size()),
                () -> assertEquals(2 * pages, describes.size()),
                () -> assertTrue(describes.stream().allMatch(r -> Integer.valueOf(100).equals(r.limit()))),
                () -> assertEquals(null, firstPollStarts.get(0), "the first page has no ExclusiveStartShardId"),
                () -> assertEquals(pages - 1, firstPollStarts.stream().filter(s -> s != null).distinct().count(),
                        "each later page starts after the previous LastEvaluatedShardId"));
    }

    static Stream<Arguments> lineageRows() {
        return Stream.of(
                // name, shards at creation, shards split, open, closed
                Arguments.of("no split", 4, 0, 4, 0),
                Arguments.of("two splits", 4, 2, 6, 2),
                Arguments.of("all split", 3, 3, 6, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineageRows")
    void countsOpenAndClosedShards(String name, int created, int splits, int open, int closed) {
        sim.state().createTable("orders", created);
        sim.state().split("orders", splits);

        ShardReading r = counter.count(orders(keys(STATIC_KEY, SECRET, null)));

        assertAll(
                () -> assertEquals(open, r.open()),
                () -> assertEquals(closed, r.closed()),
                () -> assertEquals(open + closed, r.total()),
                () -> assertEquals(open + closed, r.metricValue(true), "KEDA counts every listed shard"),
                () -> assertEquals(open, r.metricValue(false), "countClosedShards: false counts open shards"),
                () -> assertEquals("ENABLED", r.streamStatus()));
    }

    static Stream<Arguments> transientRows() {
        return Stream.of(
                // name, status, code: the SDK itself would not retry LimitExceededException
                Arguments.of("LimitExceededException", 400, "LimitExceededException"),
                Arguments.of("ThrottlingException", 400, "ThrottlingException"),
                Arguments.of("internal error", 500, "InternalServerError"),
                Arguments.of("service unavailable", 503, "ServiceUnavailable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientRows")
    void transientFaultsAreRetriedAndStillYieldAReading(String name, int status, String code) {
        sim.state().createTable("orders", 250);
        sim.faults().failNext("DescribeStream", 2, status, code);

        ShardReading r = counter.count(orders(keys(STATIC_KEY, SECRET, null)));

        List<LoggedRequest> failed = sim.requests("DescribeStream").stream().filter(q -> !q.succeeded()).toList();
        assertAll(
                () -> assertEquals(250, r.total()),
                () -> assertEquals(1 + 3 + 2, r.awsCalls(), "DescribeTable, 3 pages, 2 retries"),
                () -> assertEquals(2, failed.size()),
                () -> assertTrue(failed.stream().allMatch(q -> code.equals(q.errorCode()))),
                () -> assertTrue(sim.requests().stream().allMatch(q -> q.attempt() == 1),
                        "the SDK does not retry: every retry is ours, paid from the budget"));
    }

    @Test
    void throttlingBeyondTheAttemptsIsTyped() {
        sim.state().createTable("orders", 10);
        sim.faults().failNext("DescribeStream", 10, 400, "LimitExceededException");

        ProbeException e = assertThrows(ProbeException.class, () -> counter.count(orders(keys(STATIC_KEY, SECRET, null))));

        assertAll(
                () -> assertEquals(Kind.THROTTLED, e.kind()),
                () -> assertTrue(e.getMessage().contains("throttled after 4 attempts"), e.getMessage()),
                () -> assertEquals(1 + 4, e.awsCalls()),
                () -> assertEquals(4, sim.requests("DescribeStream").size()));
    }

    @Test
    void theSharedBudgetKeepsABurstUnderTheAccountLimit() {
        // AWS allows 5 DescribeStream/s here; our budget spends 4/s: 10 pages x 2 triggers never hit the limit.
        sim.faults().rateLimit("DescribeStream", 5, 5, "LimitExceededException");
        sim.state().createTable("orders", 1000);
        sim.state().createTable("payments", 1000);
        counter(ProbeOptions.defaults().withBudget(4, 1));
        AwsAuth auth = keys(STATIC_KEY, SECRET, null);

        ShardReading a = counter.count(orders(auth));
        ShardReading b = counter.count(trigger("payments", sim.endpoint(), auth, true));

        assertAll(
                () -> assertEquals(1000, a.total()),
                () -> assertEquals(1000, b.total()),
                () -> assertEquals(20, sim.requests("DescribeStream").size()),
                () -> assertTrue(sim.requests().stream().allMatch(LoggedRequest::succeeded)));
    }

    static Stream<Arguments> failureRows() {
        return Stream.of(
                // name, setup, kind, message fragment
                Arguments.of("missing table", (Setup) s -> { }, Kind.TABLE_NOT_FOUND,
                        "table orders not found in region us-east-1: check tableName and awsRegion of the trigger"),
                Arguments.of("table without a stream", (Setup) s -> s.state().createTableWithoutStream("orders"),
                        Kind.STREAM_NOT_ENABLED, "table orders has no stream enabled: enable DynamoDB Streams on it"),
                Arguments.of("rejected credentials", (Setup) s -> {
                    s.state().createTable("orders", 1);
                    s.faults().rejectAccessKey(STATIC_KEY);
                }, Kind.INVALID_CREDENTIALS, "AWS rejected static keys (UnrecognizedClientException, HTTP 400)"),
                Arguments.of("access denied", (Setup) s -> {
                    s.state().createTable("orders", 1);
                    s.faults().denyAccessKey(STATIC_KEY);
                }, Kind.ACCESS_DENIED, "access denied for static keys (AccessDeniedException, HTTP 400): grant dynamodb:DescribeTable"),
                Arguments.of("connection refused", (Setup) AwsSimulator::refuseConnections, Kind.UNAVAILABLE,
                        "unavailable after 4 attempts"));
    }

    interface Setup {
        void apply(AwsSimulator sim);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failureRows")
    void failuresAreTypedAndSayWhatToDo(String name, Setup setup, Kind kind, String message) {
        setup.apply(sim);

        ProbeException e = assertThrows(ProbeException.class, () -> counter.count(orders(keys(STATIC_KEY, SECRET, null))));

        assertAll(
                () -> assertEquals(kind, e.kind()),
                () -> assertTrue(e.getMessage().contains(message), e.getMessage()),
                () -> assertFalse(e.getMessage().contains(SECRET), "no secret in a message"),
                () -> assertFalse(e.getMessage().contains(STATIC_KEY), "no access key id in a message"));
    }

    @Test
    void aSlowEndpointTimesOutAndEachTimeoutIsRetried() {
        sim.state().createTable("orders", 1);
        sim.faults().latency(Duration.ofMillis(400));
        ProbeOptions fast = ProbeOptions.defaults().withBudget(1000, 100);
        AwsShardCounter slow = new AwsShardCounter(fast.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(150))
                .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(AMBIENT_KEY, SECRET)));
        try (slow) {
            ProbeException e = assertThrows(ProbeException.class, () -> slow.count(orders(keys(STATIC_KEY, SECRET, null))));

            assertAll(
                    () -> assertEquals(Kind.UNAVAILABLE, e.kind()),
                    () -> assertTrue(e.getMessage().contains("unavailable after 3 attempts"), e.getMessage()),
                    () -> assertEquals(3, e.awsCalls()));
        }
    }

    @Test
    void aRefusedEndpointRecoversOnTheSamePort() {
        sim.state().createTable("orders", 3);
        sim.refuseConnections();
        assertThrows(ProbeException.class, () -> counter.count(orders(keys(STATIC_KEY, SECRET, null))));

        sim.resume();

        assertEquals(3, counter.count(orders(keys(STATIC_KEY, SECRET, null))).total());
    }

    @Test
    void aDisabledThenReEnabledStreamIsFoundUnderItsNewArn() {
        sim.state().createTable("orders", 2);
        TriggerConfig t = orders(keys(STATIC_KEY, SECRET, null));
        String before = counter.count(t).streamArn();

        sim.state().disableStream("orders");
        ProbeException disabled = assertThrows(ProbeException.class, () -> counter.count(t));
        sim.state().enableStream("orders", 5);
        ShardReading after = counter.count(t);

        assertAll(
                () -> assertEquals(Kind.STREAM_NOT_ENABLED, disabled.kind()),
                () -> assertNotEquals(before, after.streamArn()),
                () -> assertEquals(5, after.total()),
                () -> assertEquals(3, sim.requests("DescribeTable").size(),
                        "resolved once, again when DescribeStream said DISABLED, again after the failure"));
    }

    static Stream<Arguments> cachedArnFailureRows() {
        return Stream.of(
                // name, stream disabled meanwhile, kind, DescribeTable calls (first resolve included)
                Arguments.of("500 on a cached ARN whose stream was disabled: the table says so", true,
                        Kind.STREAM_NOT_ENABLED, 2),
                Arguments.of("500 on a cached ARN the table still names: unavailable, ARN kept", false,
                        Kind.UNAVAILABLE, 2));
    }

    /** moto answers DescribeStream of a disabled stream with a 500 (docs/moto.md): DescribeTable tells what it means. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cachedArnFailureRows")
    void aCachedArnThatFailsOddlyIsCheckedAgainstTheTable(String name, boolean disable, Kind kind, int describeTables) {
        sim.state().createTable("orders", 2);
        TriggerConfig t = orders(keys(STATIC_KEY, SECRET, null));
        counter.count(t);
        if (disable) {
            sim.state().disableStream("orders");
        }
        sim.faults().failFor("DescribeStream", Duration.ofMinutes(5), 500, "InternalServerError");

        ProbeException e = assertThrows(ProbeException.class, () -> counter.count(t));

        assertAll(
                () -> assertEquals(kind, e.kind(), e.getMessage()),
                () -> assertFalse(e.getMessage().contains("the network"), e.getMessage()),
                () -> assertEquals(describeTables, sim.requests("DescribeTable").size()));
    }

    static Stream<Arguments> identityRows() {
        return Stream.of(
                // name, auth, key expected on DynamoDB calls (null: the role's issued key), session token sent,
                // AssumeRole calls signed by the ambient key
                Arguments.of("static keys", keys(STATIC_KEY, SECRET, null), STATIC_KEY, false, 0),
                Arguments.of("static keys with a session token", keys(STATIC_KEY, SECRET, "FQoGZXIvYXdzEXAMPLETOKEN"),
                        STATIC_KEY, true, 0),
                Arguments.of("assume-role", role(ROLE), null, true, 1),
                Arguments.of("operator (ambient chain)", AwsAuth.operator(), AMBIENT_KEY, false, 0),
                Arguments.of("pod identity (ambient chain)", new AwsAuth(AwsAuth.Method.POD_IDENTITY, null, null, null,
                        null, "aws", List.of()), AMBIENT_KEY, false, 0),
                Arguments.of("pod identity with a role on top", new AwsAuth(AwsAuth.Method.POD_IDENTITY, ROLE, null,
                        null, null, "aws", List.of()), null, true, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityRows")
    void signsWithTheTriggersIdentity(String name, AwsAuth auth, String expectedKey, boolean token, int assumeRoles) {
        sim.state().createTable("orders", 3);

        counter.count(orders(auth));
        counter.count(orders(auth));

        String key = expectedKey != null ? expectedKey : sim.lastIssuedAccessKeyId();
        List<LoggedRequest> dynamo = sim.requests().stream().filter(r -> !r.operation().equals("AssumeRole")).toList();
        List<LoggedRequest> sts = sim.requests("AssumeRole");
        assertAll(
                () -> assertEquals(3, dynamo.size()),
                () -> assertTrue(dynamo.stream().allMatch(r -> key.equals(r.accessKeyId())),
                        "DynamoDB calls signed by " + key + ": " + dynamo),
                () -> assertTrue(dynamo.stream().allMatch(r -> r.sessionToken() == token)),
                () -> assertTrue(dynamo.stream().allMatch(r -> Triggers.REGION.equals(r.region()))),
                () -> assertEquals(assumeRoles, sts.size(), "credentials are cached between polls"),
                () -> assertTrue(sts.stream().allMatch(r -> AMBIENT_KEY.equals(r.accessKeyId())
                        && ROLE.equals(r.resource())), "AssumeRole is signed by the ambient key"));
    }

    static Stream<Arguments> sessionRows() {
        return Stream.of(
                // name, lifetime of the role's credentials, AssumeRole calls over three polls (4 signed calls)
                Arguments.of("an hour: assumed once", Duration.ofHours(1), 1),
                // The SDK jitters its prefetch within the 5 min window; inside the 1 min stale time it always refreshes
                // before using the credentials, so a poll never signs with keys about to expire.
                // One AssumeRole per signed call: DescribeTable + three DescribeStream.
                Arguments.of("inside the 1 min stale time: refreshed before every use", Duration.ofSeconds(30), 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessionRows")
    void roleCredentialsAreRefreshedBeforeTheyExpire(String name, Duration lifetime, int assumeRoles) {
        sim.state().createTable("orders", 1);
        sim.stsSessionDuration(lifetime);

        for (int i = 0; i < 3; i++) {
            counter.count(orders(role(ROLE)));
        }

        List<LoggedRequest> sts = sim.requests("AssumeRole");
        assertAll(
                () -> assertEquals(assumeRoles, sts.size()),
                () -> assertEquals(sim.lastIssuedAccessKeyId(),
                        sim.requests("DescribeStream").get(2).accessKeyId(), "the last poll signs with the newest key"));
    }

    static Stream<Arguments> endpointRows() {
        return Stream.of(
                // name, trigger awsEndpoint is the simulator, SDK endpoint properties point at: sim or a dead port
                Arguments.of("no awsEndpoint: the SDK's own endpoint settings", false, true),
                Arguments.of("awsEndpoint wins over the SDK's settings", true, false));
    }

    /**
     * The SDK's generated builders read AWS_ENDPOINT_URL_DYNAMODB / aws.endpointUrlDynamoDb and
     * AWS_ENDPOINT_URL_DYNAMODB_STREAMS / aws.endpointUrlDynamoDbStreams (and AWS_ENDPOINT_URL, profile
     * endpoint_url) themselves; the system properties take the same path as the variables and can be set here.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("endpointRows")
    void honoursAwsEndpointThenTheSdksEndpointSettings(String name, boolean triggerEndpoint, boolean sdkToSim) {
        sim.state().createTable("orders", 7);
        String sdkEndpoint = sdkToSim ? sim.endpoint().toString() : "http://127.0.0.1:9";
        System.setProperty("aws.endpointUrlDynamoDb", sdkEndpoint);
        System.setProperty("aws.endpointUrlDynamoDbStreams", sdkEndpoint);
        try {
            TriggerConfig t = trigger("orders", triggerEndpoint ? sim.endpoint() : null, keys(STATIC_KEY, SECRET, null), true);
            assertEquals(7, counter.count(t).total());
        } finally {
            System.clearProperty("aws.endpointUrlDynamoDb");
            System.clearProperty("aws.endpointUrlDynamoDbStreams");
        }
    }

    @Test
    void triggersWithTheSameIdentityShareClients() {
        sim.state().createTable("orders", 1);
        sim.state().createTable("payments", 1);
        AwsAuth auth = keys(STATIC_KEY, SECRET, null);

        counter.count(orders(auth));
        counter.count(trigger("payments", sim.endpoint(), auth, true));
        counter.count(orders(keys("AKIDOTHER000000001", SECRET, null)));

        assertEquals(2, counter.clientCount(), "one client set per (region, endpoint, credentials)");
    }
}
