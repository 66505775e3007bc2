package io.ddbstreamscaler.fault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.List;
import java.util.Map;

/**
 * The three malformed-case templates, each valid on its own (so a mutation is the only defect, checked by
 * {@code CorpusSummaryTest}), and the mutation that puts a bad value at a path. Mutated documents are written as JSON,
 * which is YAML too.
 */
final class Templates {

    static final String NAMESPACE = "fault";
    static final String BAD_SCALED_OBJECT = "ScaledObject fault/bad-" + MalformedDocument.N;
    static final String BAD_AUTH = "TriggerAuthentication fault/bad-auth-" + MalformedDocument.N;
    static final String BAD_SECRET = "Secret fault/bad-creds-" + MalformedDocument.N;

    /** Removes the key instead of setting a value. */
    static final Object ABSENT = new Object();

    static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: bad-@N@
              namespace: fault
              annotations: {note: generated}
            spec:
              scaleTargetRef: {name: target-@N@}
              pollingInterval: 15
              minReplicaCount: 1
              maxReplicaCount: 7
              cooldownPeriod: 60
              fallback: {failureThreshold: 3, replicas: 2}
              advanced:
                horizontalPodAutoscalerConfig:
                  behavior:
                    scaleUp:
                      policies: [{type: Pods, value: 2, periodSeconds: 30}]
              triggers:
              - type: aws-dynamodb-streams
                name: t0
                authenticationRef: {name: bad-auth-@N@}
                metadata: {tableName: bad-table-@N@, awsRegion: eu-west-1, shardCount: "3"}
            """;

    static final String TRIGGER_AUTH = """
            apiVersion: keda.sh/v1alpha1
            kind: TriggerAuthentication
            metadata: {name: bad-auth-@N@, namespace: fault}
            spec:
              secretTargetRef:
              - {parameter: awsAccessKeyID, name: bad-creds-@N@, key: AWS_ACCESS_KEY_ID}
              - {parameter: awsSecretAccessKey, name: bad-creds-@N@, key: AWS_SECRET_ACCESS_KEY}
              env:
              - {parameter: awsSessionToken, name: FAULT_SESSION_TOKEN}
            """;

    /** Secret values are canaries: no error, warning or record may ever show them. */
    static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata: {name: bad-creds-@N@, namespace: fault}
            data:
              AWS_ACCESS_KEY_ID: S0VZSUQtQ0FOQVJZLUJBRA==
              AWS_SECRET_ACCESS_KEY: U0VDUkVULUNBTkFSWS1CQUQ=
            stringData: {AWS_SESSION_TOKEN: TOKEN-CANARY-@N@-bad}
            """;

    /** The template documents as one valid unit: ScaledObject, its TriggerAuthentication and its Secret. */
    static final String ALL = SECRET + "---\n" + TRIGGER_AUTH + "---\n" + SCALED_OBJECT;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Templates() {
    }

    /**
     * The template with {@code value} at {@code path} (keys and list indexes), as JSON. The other two templates go
     * with a ScaledObject so that its references resolve and the mutation stays its only defect.
     */
    static String mutate(String template, List<Object> path, Object value) {
        Object root = parse(template);
        Object parent = root;
        for (Object step : path.subList(0, path.size() - 1)) {
            if (step instanceof Integer i) {
                parent = ((List<?>) parent).get(i);
            } else {
                // A missing parent (spec.podIdentity in the TriggerAuthentication) is created for the bad value.
                @SuppressWarnings("unchecked") Map<Object, Object> map = (Map<Object, Object>) parent;
                parent = map.computeIfAbsent(step, key -> new java.util.LinkedHashMap<>());
            }
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer i) {
            @SuppressWarnings("unchecked") List<Object> list = (List<Object>) parent;
            list.set(i, value);
        } else {
            @SuppressWarnings("unchecked") Map<Object, Object> map = (Map<Object, Object>) parent;
            if (value == ABSENT) {
                map.remove(last);
            } else {
                map.put(last, value);
            }
        }
        String json = json(root);
        if (template.equals(SCALED_OBJECT)) {
            return SECRET + "---\n" + TRIGGER_AUTH + "---\n" + json;
        }
        return template.equals(TRIGGER_AUTH) ? SECRET + "---\n" + json : json;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh, mutable copy of a template's tree. */
    static Object parse(String template) {
        return new Load(LoadSettings.builder().build()).loadFromString(template);
    }

    /** A dotted path with [i] indexes, e.g. {@code spec.triggers[0].metadata}, as path steps. */
    static List<Object> path(String dotted) {
        java.util.List<Object> steps = new java.util.ArrayList<>();
        for (String part : dotted.split("\\.")) {
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                steps.add(part);
            } else {
                steps.add(part.substring(0, bracket));
                steps.add(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
            }
        }
        return steps;
    }
}
