package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.TriggerConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One DynamoDB + DynamoDB Streams client pair per (region, endpoint, credentials), shared by every trigger that
 * uses them; one STS client per region for assume-role. All share one lightweight URLConnection HTTP client.
 */
public final class AwsClientCache implements AutoCloseable {

    /**
     * @param endpoint null: the SDK resolves AWS_ENDPOINT_URL_DYNAMODB(_STREAMS) / AWS_ENDPOINT_URL / profile itself
     * @param identity method plus role (and a digest of its external id) or key id plus a digest of the secret (a
     *                 rotated secret gets new clients);
     *                 not printed by toString
     */
    public record ClientKey(String region, URI endpoint, String identity) {
        @Override
        public String toString() {
            return "ClientKey[region=" + region + ", endpoint=" + endpoint + "]";
        }
    }

    /** The clients of one key. */
    public record Clients(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, AwsCredentialsProvider provider) {
    }

    private final ProbeOptions options;
    private final AwsCredentialsFactory credentials;
    private final SdkHttpClient http;
    /**
     * One timer thread for every client's call timeouts. Left to itself the SDK gives each client a scheduled
     * executor of its own, so threads grew with regions and accounts (238 threads at 2,000 ScaledObjects over 20
     * regions, bench scale); the SDK does not close an executor it was given, {@link #close()} does.
     */
    private final java.util.concurrent.ScheduledExecutorService timeouts =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aws-call-timeouts");
                t.setDaemon(true);
                return t;
            });
    private final Map<ClientKey, Clients> clients = new ConcurrentHashMap<>();
    private final Map<String, StsClient> stsByRegion = new ConcurrentHashMap<>();

    AwsClientCache(ProbeOptions options, AwsCredentialsFactory credentials) {
        this.options = options;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(options.connectTimeout())
                .socketTimeout(options.callTimeout())
                .build();
    }

    static ClientKey keyOf(TriggerConfig trigger) {
        return keyOf(trigger, trigger.awsEndpoint());
    }

    /** The key of the trigger's identity and region at another endpoint (its KCL lease table's). */
    static ClientKey keyOf(TriggerConfig trigger, URI endpoint) {
        AwsAuth a = trigger.auth();
        String identity = switch (a.method()) {
            case STATIC -> "static:" + a.accessKeyId() + ":" + digest(a.secretAccessKey() + "\n" + a.sessionToken());
            // An external id is part of the role's identity (KEDA's cache key has it too): another id, other clients.
            case ROLE -> "role:" + a.roleArn() + externalIdDigest(a);
            case POD_IDENTITY -> "pod:" + a.roleArn() + externalIdDigest(a);
            case OPERATOR -> "operator";
        };
        return new ClientKey(trigger.awsRegion(), endpoint, identity);
    }

    /** Every key a trigger uses: its table's, and its lease table's when that has an endpoint of its own. */
    static Set<ClientKey> keysOf(TriggerConfig trigger) {
        if (trigger.kclLeaseTable() == null) {
            return Set.of(keyOf(trigger));
        }
        // Set.of refuses the two equal keys of a lease table read at the trigger's own endpoint.
        return java.util.stream.Stream.of(keyOf(trigger), keyOf(trigger, trigger.kclLeaseTable().endpointFor(trigger)))
                .collect(Collectors.toSet());
    }

    private static String externalIdDigest(AwsAuth a) {
        return a.hasExternalId() ? ":external:" + digest(a.externalId()) : "";
    }

    public Clients get(TriggerConfig trigger) {
        return clients.computeIfAbsent(keyOf(trigger), key -> build(key, trigger.auth()));
    }

    /** The trigger's identity and region at {@code endpoint}: the clients its KCL lease table is read with. */
    public Clients get(TriggerConfig trigger, URI endpoint) {
        return clients.computeIfAbsent(keyOf(trigger, endpoint), key -> build(key, trigger.auth()));
    }

    public int size() {
        return clients.size();
    }

    /**
     * Closes and drops every client set no live trigger uses, and the STS client of a region no live trigger assumes
     * a role in: a rotated secret gets a new key, and without this the old clients (their timeout threads, their
     * assume-role sessions) would stay until shutdown, as in kedacore/keda#7756. A poll still running on a dropped set
     * fails its call (the trigger it served is gone anyway); the next get() of a key builds it again.
     */
    public void retainOnly(Collection<TriggerConfig> live) {
        Set<ClientKey> keep = live.stream().flatMap(t -> keysOf(t).stream()).collect(Collectors.toSet());
        for (ClientKey key : Set.copyOf(clients.keySet())) {
            if (!keep.contains(key)) {
                Clients dropped = clients.remove(key);
                if (dropped != null) {
                    closeAll(dropped);
                }
            }
        }
        Set<String> stsRegions = live.stream().filter(AwsClientCache::assumesRole).map(TriggerConfig::awsRegion)
                .collect(Collectors.toSet());
        for (String region : Set.copyOf(stsByRegion.keySet())) {
            if (!stsRegions.contains(region)) {
                StsClient dropped = stsByRegion.remove(region);
                if (dropped != null) {
                    closeQuietly(dropped);
                }
            }
        }
    }

    private static boolean assumesRole(TriggerConfig t) {
        return t.auth().roleArn() != null
                && (t.auth().method() == AwsAuth.Method.ROLE || t.auth().method() == AwsAuth.Method.POD_IDENTITY);
    }

    private Clients build(ClientKey key, AwsAuth auth) {
        AwsCredentialsProvider provider = credentials.create(auth, () -> sts(key.region()));
        Region region = Region.of(key.region());
        var ddb = DynamoDbClient.builder().region(region).credentialsProvider(provider).httpClient(http)
                .overrideConfiguration(this::configure);
        var streams = DynamoDbStreamsClient.builder().region(region).credentialsProvider(provider).httpClient(http)
                .overrideConfiguration(this::configure);
        if (key.endpoint() != null) {
            ddb.endpointOverride(key.endpoint());
            streams.endpointOverride(key.endpoint());
        }
        return new Clients(ddb.build(), streams.build(), provider);
    }

    private StsClient sts(String region) {
        return stsByRegion.computeIfAbsent(region, r -> {
            var b = StsClient.builder().region(Region.of(r)).credentialsProvider(credentials.ambient())
                    .httpClient(http).overrideConfiguration(c -> c
                            // STS is called rarely (once per credentials lifetime): let the SDK retry it.
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(options.maxAttempts()).build())
                            .apiCallAttemptTimeout(options.callTimeout()).scheduledExecutorService(timeouts));
            if (options.stsEndpoint() != null) {
                b.endpointOverride(options.stsEndpoint());
            }
            return b.build();
        });
    }

    /**
     * No SDK retries: the SDK does not retry DynamoDB Streams' LimitExceededException in any mode, and its retries
     * would bypass the shared call budget. {@link RetryingCaller} retries, each attempt paid from the budget.
     */
    private void configure(ClientOverrideConfiguration.Builder c) {
        c.retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(options.callTimeout())
                .apiCallTimeout(options.callTimeout().multipliedBy(2))
                .scheduledExecutorService(timeouts);
    }

    @Override
    public void close() {
        clients.values().forEach(this::closeAll);
        clients.clear();
        stsByRegion.values().forEach(AwsClientCache::closeQuietly);
        stsByRegion.clear();
        http.close();
        timeouts.shutdownNow();
    }

    private void closeAll(Clients c) {
        closeQuietly(c.dynamoDb());
        closeQuietly(c.streams());
        // Assume-role providers hold cached sessions; the ambient chain is closed by its owner.
        if (c.provider() != credentials.ambient() && c.provider() instanceof AutoCloseable p) {
            closeQuietly(p);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down or dropping: nothing left to do with a client that fails to close
        }
    }

    private static String digest(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
