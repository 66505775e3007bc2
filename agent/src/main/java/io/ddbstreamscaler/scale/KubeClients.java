package io.ddbstreamscaler.scale;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fabric8 client, configured as every Kubernetes tool is: in-cluster service account when running in a pod, else
 * {@code KUBECONFIG}, else {@code ~/.kube/config} (fabric8's auto-configuration), or an explicit kubeconfig file.
 * Timeouts and retries are explicit: a slow API server must not stall a poll for minutes.
 */
public final class KubeClients {

    private KubeClients() {
    }

    /** @param kubeconfig an explicit kubeconfig file, or null for the standard lookup */
    public static KubernetesClient create(Path kubeconfig) {
        Config base;
        if (kubeconfig != null) {
            try {
                base = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
            }
        } else {
            base = Config.autoConfigure(null);
        }
        Config config = new ConfigBuilder(base)
                .withConnectionTimeout(5_000)
                .withRequestTimeout(10_000)
                // fabric8 retries connection failures and 5xx with backoff; bound it so a poll ends in seconds.
                .withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(250)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
