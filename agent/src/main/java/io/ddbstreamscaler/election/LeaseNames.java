package io.ddbstreamscaler.election;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The one naming of a ScaledObject's Lease group (its Lease is {@link LeaseSpread#GROUP_PREFIX} + group). The agent,
 * the benches and the tests all name groups here.
 *
 * <p>A group is {@code ddbstream-scaler.<namespace>.<name>.<hash>}, e.g.
 * {@code ddbstream-scaler.keda-test.orders-consumer.4be1a5c3d0e8f972}: the readable part is cut to
 * {@value #READABLE_MAX} characters, and the hash, the first 16 hex digits of SHA-256 of {@code namespace/name}, tells
 * apart what the readable part cannot (a cut name, and nothing else: a namespace holds no dot and no slash, so
 * {@code namespace/name} is one ScaledObject's and no other's). Two ScaledObjects share a group only if 64 bits of
 * SHA-256 agree. The Lease name is at most 8 + 17 + 100 + 17 = 142 characters, well under the 253 of a DNS subdomain,
 * and always valid as one.
 *
 * <p>Agents before this naming used {@link #legacyGroup}: {@code ddbstream-scaler-<namespace>-<name>}, dashes for
 * anything else, cut at 200. Different ScaledObjects could share it ({@code a-b/c} and {@code a/b-c}). A legacy group
 * never holds a dot and a group always does, so the two never name the same Lease; {@link LeaseSpread} respects the
 * legacy Leases while agents of an earlier version may run (docs/leader-election.md, "Upgrading from the old names").
 */
public final class LeaseNames {

    static final int READABLE_MAX = 100;
    private static final String PREFIX = "ddbstream-scaler.";

    private LeaseNames() {
    }

    /** The Lease group of the ScaledObject {@code namespace/name}. */
    public static String group(String namespace, String name) {
        String readable = (namespace + "." + name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        if (readable.length() > READABLE_MAX) {
            readable = readable.substring(0, READABLE_MAX);
        }
        // Each dot-separated part of a DNS subdomain starts and ends with a letter or digit.
        readable = readable.replaceAll("[.-]+$", "").replaceAll("\\.[.-]+", ".").replaceAll("-+\\.", ".");
        return PREFIX + readable + "." + hash(namespace + "/" + name);
    }

    /** The ScaledObject's Lease: {@code leaders-<group>}. */
    public static String lease(String namespace, String name) {
        return LeaseSpread.GROUP_PREFIX + group(namespace, name);
    }

    /** The group agents of earlier versions used for the ScaledObject; only {@link LeaseSpread} still reads it. */
    public static String legacyGroup(String namespace, String name) {
        String raw = ("ddbstream-scaler-" + namespace + "-" + name).toLowerCase(Locale.ROOT);
        String clean = raw.replaceAll("[^a-z0-9-]", "-");
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }

    private static String hash(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
