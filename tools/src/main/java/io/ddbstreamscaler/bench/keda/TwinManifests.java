package io.ddbstreamscaler.bench.keda;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The YAML of a case's two twins: one ScaledObject (with its TriggerAuthentication and Secret) for KEDA, applied to the
 * cluster in the case's own namespace, and the same for the agent, as a trigger file in its namespace (keda-test). The
 * two differ only where they must: the target, the namespace, the access key (so the AWS simulator's log tells whose
 * call it was), and for the spec's examples the trigger type KEDA knows.
 */
public final class TwinManifests {

    /** The table of every case: each case has an AWS simulator of its own. */
    public static final String TABLE = "keda-events";
    /** The spec's examples' region; every simulator names it in its ARNs. */
    public static final String REGION = "ap-northeast-1";
    /** Where the agent's ScaledObjects and twins live: the namespace of the shipped overlays. */
    public static final String AGENT_NAMESPACE = "keda-test";

    /** Static keys of the generated cases: KEDA's twin signs with one, the agent's twin with the other. */
    public static final String KEDA_TWIN_KEY = "AKIAKEDATWIN00000001";
    public static final String AGENT_TWIN_KEY = "AKIAAGENTTWIN0000001";
    private static final String TWIN_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /** The spec's IAM-users example signs with AWS's documented example key; KEDA's twin gets AWS's second one. */
    public static final String SPEC_EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE";
    public static final String KEDA_SPEC_EXAMPLE_KEY = "AKIAI44QH8DHBEXAMPLE";
    private static final String KEDA_SPEC_EXAMPLE_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

    private final Path repo;

    public TwinManifests(Path repo) {
        this.repo = repo;
    }

    /** KEDA's side: Secret, TriggerAuthentication and ScaledObject in {@code keda-<case>}, target {@code <case>}. */
    public String forKeda(TwinCase c, URI awsEndpoint, Integer pausedReplicas) throws IOException {
        if (c.source() == TwinCase.Source.GENERATED) {
            return generated(c, c.kedaNamespace(), c.name(), c.kedaTarget(), KEDA_TWIN_KEY, awsEndpoint, pausedReplicas);
        }
        return example(c, awsEndpoint)
                // KEDA knows only the plural spelling; the spec's examples use the singular (the agent takes both).
                .replace("type: aws-dynamodb-stream\n", "type: aws-dynamodb-streams\n")
                .replace("namespace: " + AGENT_NAMESPACE, "namespace: " + c.kedaNamespace())
                .replace("name: nginx-deployment", "name: " + c.kedaTarget())
                .replace(base64(SPEC_EXAMPLE_KEY), base64(KEDA_SPEC_EXAMPLE_KEY))
                .replace(base64("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), base64(KEDA_SPEC_EXAMPLE_SECRET));
    }

    /** The agent's side: the same objects in keda-test, ScaledObject {@code <case>}, target {@code agent-<case>}. */
    public String forAgent(TwinCase c, URI awsEndpoint, Integer pausedReplicas) throws IOException {
        if (c.source() == TwinCase.Source.GENERATED) {
            return generated(c, AGENT_NAMESPACE, c.name(), c.agentTarget(), AGENT_TWIN_KEY, awsEndpoint, pausedReplicas);
        }
        // Both examples name their ScaledObject aws-dynamodb-stream-scaledobject in keda-test: one name per case here.
        return example(c, awsEndpoint)
                .replace("name:  aws-dynamodb-stream-scaledobject", "name: " + c.name())
                .replace("name: nginx-deployment", "name: " + c.agentTarget());
    }

    /** The name of KEDA's ScaledObject: the example's own for the spec's examples, the case's otherwise. */
    public static String kedaScaledObjectName(TwinCase c) {
        return c.source() == TwinCase.Source.GENERATED ? c.name() : "aws-dynamodb-stream-scaledobject";
    }

    /** The example file as the spec gives it, pointed at the case's simulator (awsEndpoint after shardCount). */
    private String example(TwinCase c, URI awsEndpoint) throws IOException {
        String text = Files.readString(repo.resolve(c.source().file), StandardCharsets.UTF_8);
        String shardCount = "      shardCount: \"2\"\n";
        if (!text.contains(shardCount) || !text.contains("name: nginx-deployment")) {
            throw new IOException(c.source().file + " no longer has the lines this case edits (" + shardCount.strip()
                    + ", name: nginx-deployment)");
        }
        return text.replace(shardCount, shardCount + "      awsEndpoint: " + awsEndpoint + "\n");
    }

    private static String generated(TwinCase c, String namespace, String name, String target, String key,
                                    URI awsEndpoint, Integer pausedReplicas) {
        Map<String, String> metadata = new TreeMap<>(c.metadata());
        // metricType is a field of the trigger, beside type and metadata, where KEDA reads it.
        String metricType = metadata.remove("metricType");
        StringBuilder meta = new StringBuilder();
        meta.append("        tableName: ").append(TABLE).append('\n');
        meta.append("        awsRegion: ").append(REGION).append('\n');
        meta.append("        awsEndpoint: ").append(awsEndpoint).append('\n');
        metadata.forEach((k, v) -> meta.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        String annotations = pausedReplicas == null ? ""
                : "  annotations:\n    autoscaling.keda.sh/paused-replicas: \"" + pausedReplicas + "\"\n";
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: twin-keys
                  namespace: %1$s
                stringData:
                  AWS_ACCESS_KEY_ID: %2$s
                  AWS_SECRET_ACCESS_KEY: %3$s
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata:
                  name: twin-keys
                  namespace: %1$s
                spec:
                  secretTargetRef:
                    - {parameter: awsAccessKeyID, name: twin-keys, key: AWS_ACCESS_KEY_ID}
                    - {parameter: awsSecretAccessKey, name: twin-keys, key: AWS_SECRET_ACCESS_KEY}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: %4$s
                  namespace: %1$s
                %5$sspec:
                  scaleTargetRef:
                    name: %6$s
                %7$s  triggers:
                    - type: aws-dynamodb-streams
                %8$s      authenticationRef:
                        name: twin-keys
                      metadata:
                %9$s""".formatted(namespace, key, TWIN_SECRET, name, annotations, target, c.spec(),
                metricType == null ? "" : "      metricType: " + metricType + "\n", meta);
    }

    /** A Deployment that kwok runs (no container ever starts), labelled so the recorder follows it. */
    public static String deployment(String namespace, String name) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %2$s
                  namespace: %1$s
                  labels: {%3$s: "true"}
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: %2$s}
                  template:
                    metadata:
                      labels: {app: %2$s}
                    spec:
                      containers:
                        - {name: worker, image: registry.invalid/stream-consumer:1}
                """.formatted(namespace, name, ReplicaRecorder.TWIN_LABEL);
    }

    public static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Role as the shipped one's first rule, for other targets: get and update on the scale subresource of the named
     * Deployments (the agent's one write path reads and writes /scale only), bound to the agent's ServiceAccount.
     */
    static String scaleRole(String name, List<String> deployments) {
        String names = deployments.stream().map(d -> "\"" + d + "\"").collect(Collectors.joining(", "));
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: %1$s, namespace: %2$s}
                rules:
                  - {apiGroups: ["apps"], resources: ["deployments/scale"], resourceNames: [%3$s], verbs: ["get", "update"]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %1$s, namespace: %2$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: %1$s}
                subjects:
                  - {kind: ServiceAccount, name: ddbstream-scaler, namespace: %2$s}
                """.formatted(name, AGENT_NAMESPACE, names);
    }
}
