package io.ddbstreamscaler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A validating admission webhook that makes a real 409 happen on purpose: when the agent's ServiceAccount writes the
 * {@code /scale} subresource of a Deployment or a StatefulSet, the webhook first runs a concurrent writer ({@code kubectl
 * scale} of the same object, as a user would), then
 * allows the agent's request. The API server calls validating webhooks inside its optimistic-concurrency loop, after
 * the agent's resourceVersion was checked against the object it read: the concurrent write lands in between, the
 * store's compare-and-swap fails, the API server reads the object again, finds the agent's resourceVersion stale and
 * answers 409 Conflict. Deterministic, unlike a kubectl loop racing the agent. HTTPS on 127.0.0.1 with a certificate
 * made by openssl for that address; the ValidatingWebhookConfiguration names it by URL with its CA bundle.
 */
final class ConflictWebhook implements AutoCloseable {

    enum Mode { OFF, ONCE, ALWAYS }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalCluster cluster;
    private final HttpsServer server;
    private final String agentUser;
    private final Consumer<String> concurrentWriter;
    private final AtomicInteger interventions = new AtomicInteger();
    private volatile Mode mode = Mode.OFF;

    private ConflictWebhook(LocalCluster cluster, HttpsServer server, String agentUser, Consumer<String> concurrentWriter) {
        this.cluster = cluster;
        this.server = server;
        this.agentUser = agentUser;
        this.concurrentWriter = concurrentWriter;
    }

    /**
     * Starts the server and registers it for {@code /scale} writes in {@code namespace}.
     *
     * @param concurrentWriter what a concurrent writer does to the object the agent writes ({@code deployment/NAME} or
     *                         {@code statefulset/NAME}), between the agent's read and its write
     */
    static ConflictWebhook register(LocalCluster cluster, String namespace, Path work, Consumer<String> concurrentWriter) {
        try {
            Files.createDirectories(work);
            Path key = work.resolve("webhook.key");
            Path cert = work.resolve("webhook.crt");
            Path store = work.resolve("webhook.p12");
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"));
            run(List.of("openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(),
                    "-out", store.toString(), "-passout", "pass:webhook"));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, "webhook".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "webhook".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);

            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            // Several threads: the concurrent writer's own request comes back through this webhook while the agent's waits.
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "conflict-webhook");
                t.setDaemon(true);
                return t;
            }));
            ConflictWebhook webhook = new ConflictWebhook(cluster, server, AuditLog.agentUser(namespace), concurrentWriter);
            server.createContext("/validate", exchange -> {
                byte[] answer = webhook.review(exchange.getRequestBody().readAllBytes());
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            server.start();
            cluster.kubectlStdin("""
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: ValidatingWebhookConfiguration
                    metadata: {name: cluster-tests-scale-conflict}
                    webhooks:
                      - name: scale-conflict.cluster-tests.ddbstream-scaler.io
                        clientConfig:
                          url: https://127.0.0.1:%d/validate
                          caBundle: %s
                        rules:
                          - {apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [deployments/scale, statefulsets/scale], scope: Namespaced}
                        namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %s}}
                        sideEffects: NoneOnDryRun
                        admissionReviewVersions: [v1]
                        failurePolicy: Ignore
                        timeoutSeconds: 15
                    """.formatted(server.getAddress().getPort(), LocalCluster.base64(Files.readString(cert)), namespace),
                    "apply", "-f", "-");
            return webhook;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** How many agent writes the concurrent writer got in front of. */
    int interventions() {
        return interventions.get();
    }

    private byte[] review(byte[] body) throws IOException {
        JsonNode request = JSON.readTree(body).path("request");
        boolean agent = agentUser.equals(request.path("userInfo").path("username").asText());
        if (agent && !request.path("dryRun").asBoolean(false) && mode != Mode.OFF) {
            if (mode == Mode.ONCE) {
                mode = Mode.OFF;
            }
            String plural = request.path("resource").path("resource").asText();
            concurrentWriter.accept(plural.substring(0, plural.length() - 1) + "/" + request.path("name").asText());
            interventions.incrementAndGet();
        }
        return JSON.writeValueAsBytes(JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview").set("response", JSON.createObjectNode()
                        .put("uid", request.path("uid").asText()).put("allowed", true)));
    }

    private static void run(List<String> command) {
        Result r = Result.run(command, 60);
        if (r.exit() != 0) {
            throw new IllegalStateException(command + ": " + r);
        }
    }

    @Override
    public void close() {
        Result r = cluster.kubectlResult("delete", "validatingwebhookconfiguration", "cluster-tests-scale-conflict",
                "--ignore-not-found");
        if (r.exit() != 0) {
            System.err.println("cluster-tests: could not delete the conflict webhook's configuration: " + r);
        }
        server.stop(0);
    }
}
