package io.ddbstreamscaler.scale;

import io.ddbstreamscaler.trigger.SecretSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Secrets the trigger files do not hold, read from the cluster (the ScaledObject's namespace), as KEDA reads them. */
public final class ClusterSecretSource implements SecretSource {

    private final KubernetesClient client;

    public ClusterSecretSource(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Map<String, String>> find(String namespace, String name) {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, "get", "", "secrets", namespace, name);
        }
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k, v == null ? "" : decode(v)));
        }
        // The API server folds stringData into data on write; a Secret read back may still carry it (mock servers).
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return Optional.of(values);
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
