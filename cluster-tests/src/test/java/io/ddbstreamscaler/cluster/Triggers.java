package io.ddbstreamscaler.cluster;

/**
 * The trigger files the suite's agents read: KEDA's YAML as a user writes it, the AWS keys from the cluster Secret
 * {@code test-secrets} through a TriggerAuthentication (so every agent reads a Secret, and the Role's rule for it is
 * exercised), short polling intervals and no scale-down stabilization so that a test sees a decision within seconds.
 */
final class Triggers {

    static final String REGION = "ap-northeast-1";

    /** A scale target as {@code scaleTargetRef} names it. */
    record Target(String apiVersion, String kind, String name) {
        static Target deployment(String name) {
            return new Target("apps/v1", "Deployment", name);
        }

        static Target statefulSet(String name) {
            return new Target("apps/v1", "StatefulSet", name);
        }
    }

    /** The settings a test varies; the rest are KEDA's defaults. */
    record Options(int pollingInterval, int minReplicas, int maxReplicas, int shardCount, int activationShardCount) {
        static Options defaults() {
            return new Options(2, 1, 20, 2, 0);
        }

        Options minReplicas(int min) {
            return new Options(pollingInterval, min, maxReplicas, shardCount, activationShardCount);
        }

        Options maxReplicas(int max) {
            return new Options(pollingInterval, minReplicas, max, shardCount, activationShardCount);
        }

        Options shardCount(int count) {
            return new Options(pollingInterval, minReplicas, maxReplicas, count, activationShardCount);
        }

        Options activationShardCount(int count) {
            return new Options(pollingInterval, minReplicas, maxReplicas, shardCount, count);
        }

        Options pollingInterval(int seconds) {
            return new Options(seconds, minReplicas, maxReplicas, shardCount, activationShardCount);
        }
    }

    private Triggers() {
    }

    /** The TriggerAuthentication every ScaledObject here refers to: keys from the cluster Secret test-secrets. */
    static String authentication(String namespace) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata:
                  name: aws-keys
                  namespace: %s
                spec:
                  secretTargetRef:
                    - {parameter: awsAccessKeyID, name: test-secrets, key: AWS_ACCESS_KEY_ID}
                    - {parameter: awsSecretAccessKey, name: test-secrets, key: AWS_SECRET_ACCESS_KEY}
                """.formatted(namespace);
    }

    static String scaledObject(String namespace, String name, Target target, String table, Options o) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  scaleTargetRef: {apiVersion: %s, kind: %s, name: %s}
                  pollingInterval: %d
                  minReplicaCount: %d
                  maxReplicaCount: %d
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown: {stabilizationWindowSeconds: 0}
                  triggers:
                    - type: aws-dynamodb-streams
                      authenticationRef: {name: aws-keys}
                      metadata:
                        awsRegion: %s
                        tableName: %s
                        shardCount: "%d"
                        activationShardCount: "%d"
                """.formatted(name, namespace, target.apiVersion(), target.kind(), target.name(), o.pollingInterval(),
                o.minReplicas(), o.maxReplicas(), REGION, table, o.shardCount(), o.activationShardCount());
    }

    /** One file: the TriggerAuthentication and the ScaledObjects, as YAML documents. */
    static String file(String namespace, String... scaledObjects) {
        return authentication(namespace) + "---\n" + String.join("---\n", scaledObjects);
    }
}
