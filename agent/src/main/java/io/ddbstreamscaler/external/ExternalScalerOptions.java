package io.ddbstreamscaler.external;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the external scaler gRPC server ({@code run --grpc-port}).
 *
 * @param port      TCP port on every interface; 0 picks a free one (tests, bench)
 * @param freshness how old a cached shard count may be when it answers a request (default 30 s, KEDA's default
 *                  pollingInterval): at most one DescribeStream round per table, region, endpoint and identity per
 *                  freshness; also the interval at which StreamIsActive looks for a change
 * @param tlsCert   PEM certificate chain of the server; null with {@code tlsKey} null for plaintext
 * @param tlsKey    PEM private key (PKCS#8) of the server
 * @param clientCa  PEM CA bundle that client certificates must chain to; null accepts clients without certificates
 */
public record ExternalScalerOptions(int port, Duration freshness, Path tlsCert, Path tlsKey, Path clientCa) {

    public static final Duration DEFAULT_FRESHNESS = Duration.ofSeconds(30);

    public ExternalScalerOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("grpc port must be 0..65535, got " + port);
        }
        freshness = freshness == null ? DEFAULT_FRESHNESS : freshness;
        if (freshness.isNegative() || freshness.isZero()) {
            throw new IllegalArgumentException("grpc freshness must be positive, got " + freshness);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("grpc TLS needs both a certificate and a key, got "
                    + (tlsCert == null ? "a key only (" + tlsKey + ")" : "a certificate only (" + tlsCert + ")"));
        }
        if (clientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("grpc client certificates (" + clientCa + ") need server TLS:"
                    + " give a certificate and a key too");
        }
        for (Path file : new Path[] {tlsCert, tlsKey, clientCa}) {
            if (file != null && !Files.isReadable(file)) {
                throw new IllegalArgumentException("grpc TLS file " + file + " is not readable");
            }
        }
    }

    /** Plaintext on {@code port}, default freshness. */
    public static ExternalScalerOptions plaintext(int port) {
        return new ExternalScalerOptions(port, DEFAULT_FRESHNESS, null, null, null);
    }

    public boolean tls() {
        return tlsCert != null;
    }

    public ExternalScalerOptions withFreshness(Duration value) {
        return new ExternalScalerOptions(port, value, tlsCert, tlsKey, clientCa);
    }
}
