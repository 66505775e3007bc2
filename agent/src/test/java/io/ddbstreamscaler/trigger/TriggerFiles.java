package io.ddbstreamscaler.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds trigger files for tests: each document written as JSON, which is YAML too. */
final class TriggerFiles {

    static final String NAMESPACE = "keda-test";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerFiles() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String documents(Object... documents) {
        List<String> texts = new ArrayList<>();
        for (Object document : documents) {
            try {
                texts.add(document instanceof String text ? text : JSON.writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return texts.stream().collect(Collectors.joining("\n---\n", "", "\n"));
    }

    static Map<String, Object> secret(String name, Map<String, String> stringData) {
        return object("v1", "Secret", name, Map.of("stringData", stringData));
    }

    /** A TriggerAuthentication mapping each parameter to the key of the same name in Secret {@code secretName}. */
    static Map<String, Object> triggerAuth(String name, String secretName, Iterable<String> parameters) {
        List<Map<String, String>> refs = new ArrayList<>();
        for (String parameter : parameters) {
            refs.add(Map.of("parameter", parameter, "name", secretName, "key", parameter));
        }
        return object("keda.sh/v1alpha1", "TriggerAuthentication", name, Map.of("spec", Map.of("secretTargetRef", refs)));
    }

    static Map<String, Object> scaledObject(String name, List<Map<String, Object>> triggers) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("scaleTargetRef", Map.of("name", "consumer"));
        spec.put("triggers", triggers);
        return object("keda.sh/v1alpha1", "ScaledObject", name, Map.of("spec", spec));
    }

    static Map<String, Object> trigger(Map<String, String> metadata, String authName) {
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", "aws-dynamodb-stream");
        trigger.put("metadata", metadata);
        if (authName != null) {
            trigger.put("authenticationRef", Map.of("name", authName));
        }
        return trigger;
    }

    static Map<String, Object> object(String apiVersion, String kind, String name, Map<String, Object> rest) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", Map.of("name", name, "namespace", NAMESPACE));
        object.putAll(rest);
        return object;
    }
}
