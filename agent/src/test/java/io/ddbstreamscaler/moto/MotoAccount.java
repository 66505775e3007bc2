package io.ddbstreamscaler.moto;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets up moto's account with the AWS SDK for Java, as a user would with the console or the CLI: tables, IAM users
 * with their keys, roles with trust and permission policies, and AssumeRole. Every secret it hands out is remembered,
 * so a test can check that none of them shows in the agent's output.
 */
final class MotoAccount implements AutoCloseable {

    static final String ACCOUNT = "123456789012"; // moto's default account: the spec's role ARN names it too
    static final Region REGION = Region.AP_NORTHEAST_1;

    /** An access key pair, with a session token for temporary keys. */
    record Keys(String accessKeyId, String secretAccessKey, String sessionToken) {
        AwsCredentials credentials() {
            return sessionToken == null ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
        }

        Keys withSecret(String secret) {
            return new Keys(accessKeyId, secret, sessionToken);
        }

        @Override
        public String toString() {
            return "Keys[<redacted>]";
        }
    }

    private final URI endpoint;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final List<String> secrets = new ArrayList<>();
    private final IamClient iam;
    private DynamoDbClient dynamoDb;

    /** Before IAM is switched on any key works: the set-up uses moto's default one. */
    MotoAccount(URI endpoint) {
        this.endpoint = endpoint;
        Keys setup = new Keys("testing", "testing", null);
        this.iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(endpoint).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(setup.credentials())).build();
        this.dynamoDb = dynamoDb(setup);
    }

    private DynamoDbClient dynamoDb(Keys keys) {
        return DynamoDbClient.builder().region(REGION).endpointOverride(endpoint).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(keys.credentials())).build();
    }

    /** Table changes after IAM is on need an identity allowed to make them. */
    void actAs(Keys admin) {
        dynamoDb.close();
        dynamoDb = dynamoDb(admin);
    }

    String createTable(String name, boolean stream) {
        dynamoDb.createTable(r -> {
            r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S));
            if (stream) {
                r.streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY));
            }
        });
        return latestStreamArn(name);
    }

    /** A KCL lease table as KCL creates it: hash key leaseKey (S), on demand. */
    void createLeaseTable(String name) {
        dynamoDb.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
    }

    /** Puts one item (a lease as KCL writes it). */
    void putItem(String table, java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        dynamoDb.putItem(r -> r.tableName(table).item(item));
    }

    /** The ids of the table's stream shards, as DescribeStream lists them. */
    List<String> shardIds(String table) {
        try (var streams = software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder().region(REGION)
                .endpointOverride(endpoint).httpClient(http).credentialsProvider(StaticCredentialsProvider.create(
                        new Keys("testing", "testing", null).credentials())).build()) {
            return streams.describeStream(r -> r.streamArn(latestStreamArn(table))).streamDescription().shards()
                    .stream().map(software.amazon.awssdk.services.dynamodb.model.Shard::shardId).toList();
        }
    }

    String latestStreamArn(String table) {
        return dynamoDb.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    void disableStream(String table) {
        dynamoDb.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
    }

    void deleteTable(String table) {
        dynamoDb.deleteTable(r -> r.tableName(table));
    }

    /** A user with one inline policy and an access key. */
    Keys createUser(String name, String policy) {
        iam.createUser(r -> r.userName(name));
        iam.putUserPolicy(r -> r.userName(name).policyName(name + "-policy").policyDocument(policy));
        var key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return remember(new Keys(key.accessKeyId(), key.secretAccessKey(), null));
    }

    static String userArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
    }

    /** A role the principal may assume (with this external id, when not null), holding one inline policy. */
    String createRole(String name, String principalArn, String externalId, String policy) {
        String condition = externalId == null ? ""
                : ", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"" + externalId + "\"}}";
        String trust = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "%s"},
                 "Action": "sts:AssumeRole"%s}]}""".formatted(principalArn, condition);
        String arn = iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
        iam.putRolePolicy(r -> r.roleName(name).policyName(name + "-policy").policyDocument(policy));
        if (externalId != null) {
            secrets.add(externalId);
        }
        return arn;
    }

    /** Temporary keys with a session token: moto rejects GetSessionToken's under enforcement, AssumeRole's work. */
    Keys assumeRole(Keys caller, String roleArn) {
        try (StsClient sts = StsClient.builder().region(REGION).endpointOverride(endpoint).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(caller.credentials())).build()) {
            Credentials c = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("conformance-test")).credentials();
            return remember(new Keys(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        }
    }

    private Keys remember(Keys keys) {
        secrets.add(keys.accessKeyId());
        secrets.add(keys.secretAccessKey());
        if (keys.sessionToken() != null) {
            secrets.add(keys.sessionToken());
        }
        return keys;
    }

    /** Every access key id, secret key, session token and external id handed out so far. */
    List<String> secrets() {
        return List.copyOf(secrets);
    }

    @Override
    public void close() {
        iam.close();
        dynamoDb.close();
        http.close();
    }
}
