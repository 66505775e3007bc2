package io.ddbstreamscaler.fault;

import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The valid ScaledObject + TriggerAuthentication + Secret written beside every malformed document, in the examples'
 * shape, with credentials that are canaries unique to the case: they must load with exactly these values, and never
 * be printed.
 */
final class Companions {

    /** Every canary, of the valid objects and of the malformed ones, contains this. */
    static final String CANARY = "CANARY";

    private Companions() {
    }

    static String keyId(int n) {
        return "KEYID-CANARY-" + n;
    }

    static String secretKey(int n) {
        return "SECRET-CANARY-" + n;
    }

    static String sessionToken(int n) {
        return "TOKEN-CANARY-" + n;
    }

    static String id(int n) {
        return Templates.NAMESPACE + "/valid-" + n;
    }

    /** The Secret and the TriggerAuthentication: written before the malformed document. */
    static String head(int n) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: creds-%1$d
                  namespace: fault
                data:
                  AWS_ACCESS_KEY_ID: %2$s
                  AWS_SECRET_ACCESS_KEY: %3$s
                stringData:
                  AWS_SESSION_TOKEN: %4$s
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata:
                  name: auth-%1$d
                  namespace: fault
                spec:
                  secretTargetRef:
                  - parameter: awsAccessKeyID
                    name: creds-%1$d
                    key: AWS_ACCESS_KEY_ID
                  - parameter: awsSecretAccessKey
                    name: creds-%1$d
                    key: AWS_SECRET_ACCESS_KEY
                  - parameter: awsSessionToken
                    name: creds-%1$d
                    key: AWS_SESSION_TOKEN
                """.formatted(n, base64(keyId(n)), base64(secretKey(n)), sessionToken(n));
    }

    /** The ScaledObject: written after the malformed document, so a broken document must not swallow it. */
    static String tail(int n) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: valid-%1$d
                  namespace: fault
                spec:
                  scaleTargetRef:
                    name: consumer-%1$d
                  pollingInterval: 20
                  minReplicaCount: 1
                  maxReplicaCount: 9
                  triggers:
                  - type: aws-dynamodb-stream
                    authenticationRef:
                      name: auth-%1$d
                    metadata:
                      awsRegion: ap-northeast-1
                      tableName: events-%1$d
                      shardCount: "4"
                """.formatted(n);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The canaries as they may appear: plain, or still base64-encoded. */
    static List<String> canaryForms(int n) {
        return List.of(CANARY, base64(secretKey(n)), base64(keyId(n)), "S0VZSUQtQ0FOQVJZLUJBRA", "U0VDUkVULUNBTkFSWS1CQUQ");
    }

    /** The valid ScaledObject of case {@code n} was loaded with exactly the values written. */
    static void assertLoaded(int n, ScaledObjectConfig config) {
        assertEquals(id(n), config.id());
        assertEquals("consumer-" + n, config.scaleTarget().name());
        assertEquals("Deployment", config.scaleTarget().kind());
        assertEquals(20, config.pollingIntervalSeconds());
        assertEquals(1, config.scaling().minReplicaCount());
        assertEquals(9, config.scaling().maxReplicaCount());
        assertEquals(1, config.triggers().size());
        TriggerConfig trigger = config.triggers().get(0);
        assertEquals("events-" + n, trigger.tableName());
        assertEquals("ap-northeast-1", trigger.awsRegion());
        assertEquals(4, trigger.shardCount());
        AwsAuth auth = trigger.auth();
        assertEquals(AwsAuth.Method.STATIC, auth.method());
        assertEquals(keyId(n), auth.accessKeyId());
        assertEquals(secretKey(n), auth.secretAccessKey());
        assertEquals(sessionToken(n), auth.sessionToken());
    }
}
