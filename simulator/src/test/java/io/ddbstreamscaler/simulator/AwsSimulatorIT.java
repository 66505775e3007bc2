package io.ddbstreamscaler.simulator;

import io.ddbstreamscaler.simulator.aws.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsResponse;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's wire formats as the real SDK reads them, with the SDK's own default retry strategy. */
class AwsSimulatorIT {

    static final StaticCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMTEST0000001", "secret"));

    AwsSimulator sim;
    DynamoDbStreamsClient streams;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        streams = DynamoDbStreamsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(KEYS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy())).build();
    }

    @AfterEach
    void stop() {
        streams.close();
        sim.close();
    }

    @Test
    void listStreamsNamesEveryStreamOfTheTable() {
        sim.state().createTable("orders", 1);
        sim.state().disableStream("orders");
        sim.state().enableStream("orders", 1);
        sim.state().createTable("payments", 1);

        ListStreamsResponse r = streams.listStreams(b -> b.tableName("orders"));

        assertAll(
                () -> assertEquals(2, r.streams().size()),
                () -> assertTrue(r.streams().stream().allMatch(s -> s.tableName().equals("orders"))));
    }

    @Test
    void limitExceededIsAnsweredAsAwsDoesAndTheSdkDoesNotRetryIt() {
        sim.state().createTable("orders", 1);
        String arn = sim.state().stream("orders").arn();
        sim.faults().rateLimit("DescribeStream", 1, 1, "LimitExceededException");

        streams.describeStream(b -> b.streamArn(arn));
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> streams.describeStream(b -> b.streamArn(arn)));

        List<LoggedRequest> log = sim.requests("DescribeStream");
        assertAll(
                () -> assertEquals(400, e.statusCode()),
                () -> assertEquals(2, log.size(), "the SDK's standard strategy makes one attempt: " + log),
                () -> assertEquals("LimitExceededException", log.get(1).errorCode()));
    }

    @Test
    void assumeRoleAnswersTheQueryProtocolInXml() {
        try (StsClient sts = StsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(KEYS).httpClient(UrlConnectionHttpClient.create()).build()) {
            AssumeRoleResponse r = sts.assumeRole(b -> b.roleArn("arn:aws:iam::210987654321:role/reader")
                    .roleSessionName("ddbstream-scaler"));

            assertAll(
                    () -> assertEquals(sim.lastIssuedAccessKeyId(), r.credentials().accessKeyId()),
                    () -> assertNotNull(r.credentials().sessionToken()),
                    () -> assertTrue(r.credentials().expiration().isAfter(java.time.Instant.now())),
                    () -> assertEquals("arn:aws:sts::210987654321:assumed-role/reader/ddbstream-scaler",
                            r.assumedRoleUser().arn()),
                    () -> assertEquals("AKIDSIMTEST0000001", sim.requests("AssumeRole").get(0).accessKeyId()));
        }
    }

    @Test
    void aScheduleSplitsShardsUntilTheTarget() {
        sim.state().createTable("orders", 1);

        ScheduledFuture<?> schedule = sim.splitEvery("orders", Duration.ofMillis(20), 4);

        await().atMost(Duration.ofSeconds(5)).until(() ->
                sim.state().stream("orders").shards().stream().filter(s -> s.isOpen()).count() == 4);
        schedule.cancel(false);
        assertEquals(3, sim.state().stream("orders").shards().stream().filter(s -> !s.isOpen()).count(),
                "1 → 2 → 3 → 4 open shards took three splits");
    }
}
