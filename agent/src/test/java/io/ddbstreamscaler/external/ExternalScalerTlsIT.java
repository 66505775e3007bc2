package io.ddbstreamscaler.external;

import io.ddbstreamscaler.external.proto.ExternalScalerGrpc;
import io.ddbstreamscaler.external.proto.ScaledObjectRef;
import io.ddbstreamscaler.stream.ShardCounter;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server TLS and client certificates from PEM files, as KEDA's {@code caCert} / {@code tlsClientCert} /
 * {@code tlsClientKey} use them, with grpc-java's own TLS client. GetMetricSpec calls no AWS, so a counter that fails
 * the test if called stands in for the probe here; the AWS path is covered by {@link ExternalScalerServerIT}.
 */
class ExternalScalerTlsIT {

    static final ScaledObjectRef REF = ScaledObjectRef.newBuilder().setNamespace("shop").setName("a")
            .putAllScalerMetadata(Map.of("tableName", "orders", "awsRegion", "us-east-1", "identityOwner", "operator"))
            .build();

    final AtomicInteger awsCounts = new AtomicInteger();
    final ShardCounter noAws = trigger -> {
        awsCounts.incrementAndGet();
        throw new AssertionError("GetMetricSpec must not count shards");
    };
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static Path pem(String name) {
        try {
            return Path.of(ExternalScalerTlsIT.class.getResource("/external-tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static File file(String name) {
        return pem(name).toFile();
    }

    ExternalScalerServer server(Path clientCa) throws IOException {
        var s = ExternalScalerServer.start(new ExternalScalerOptions(0, Duration.ofSeconds(30), pem("server.pem"),
                pem("server.key"), clientCa), noAws, Clock.systemUTC());
        open.add(s);
        return s;
    }

    long target(int port, ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
        open.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getMetricSpec(REF).getMetricSpecs(0).getTargetSize();
    }

    static ChannelCredentials trusting() throws IOException {
        return TlsChannelCredentials.newBuilder().trustManager(file("ca.pem")).build();
    }

    static ChannelCredentials withClientCert(String cert, String key) throws IOException {
        return TlsChannelCredentials.newBuilder().trustManager(file("ca.pem")).keyManager(file(cert), file(key)).build();
    }

    @Test
    void serverTlsAnswersAClientThatTrustsItsCa() throws Exception {
        assertEquals(2, target(server(null).port(), trusting()));
    }

    static Stream<Arguments> refusedRows() throws IOException {
        return Stream.of(
                // name, client CA file on the server (null: no client certificates asked), client credentials
                Arguments.of("plaintext client to a TLS server", null, InsecureChannelCredentials.create()),
                Arguments.of("client that does not trust the server's CA", null,
                        TlsChannelCredentials.newBuilder().build()),
                Arguments.of("no client certificate where one is required", "ca.pem", trusting()),
                Arguments.of("client certificate from another CA", "ca.pem", withClientCert("stranger.pem", "stranger.key")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRows")
    void refused(String name, String clientCa, ChannelCredentials credentials) throws Exception {
        int port = server(clientCa == null ? null : pem(clientCa)).port();
        var e = assertThrows(StatusRuntimeException.class, () -> target(port, credentials));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }

    @Test
    void mutualTlsAnswersAClientWithACertificateFromTheCa() throws Exception {
        assertEquals(2, target(server(pem("ca.pem")).port(), withClientCert("client.pem", "client.key")));
        assertEquals(0, awsCounts.get());
    }

    static Stream<Arguments> optionRows() {
        return Stream.of(
                Arguments.of("a key without a certificate", null, "server.key", null, "both a certificate and a key"),
                Arguments.of("a certificate without a key", "server.pem", null, null, "both a certificate and a key"),
                Arguments.of("client CA without server TLS", null, null, "ca.pem", "need server TLS"),
                Arguments.of("a file that is not there", "server.pem", "absent.key", null, "is not readable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optionRows")
    void inconsistentTlsOptionsAreRefusedWithTheFile(String name, String cert, String key, String ca, String words) {
        Path dir = pem("ca.pem").getParent();
        var e = assertThrows(IllegalArgumentException.class, () -> new ExternalScalerOptions(0, null,
                cert == null ? null : dir.resolve(cert), key == null ? null : dir.resolve(key),
                ca == null ? null : dir.resolve(ca)));
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

}
