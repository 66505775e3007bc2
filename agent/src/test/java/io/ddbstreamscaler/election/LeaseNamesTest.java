package io.ddbstreamscaler.election;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A ScaledObject's Lease name: readable, deterministic (the hash pinned against Python's hashlib), a valid DNS subdomain
 * well under 253 characters, and never shared by two ScaledObjects where the old names were.
 */
class LeaseNamesTest {

    /** Kubernetes' IsDNS1123Subdomain, which a Lease name must pass. */
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    static final String LONG_NAMESPACE = "n".repeat(63);
    static final String LONG_PREFIX = "consumer-" + "x".repeat(200);

    static Stream<Arguments> names() {
        return Stream.of(
                // name, namespace, ScaledObject, its Lease
                arguments("plain names", "keda-test", "orders-consumer",
                        "leaders-ddbstream-scaler.keda-test.orders-consumer.897bdf7f63e2b24a"),
                arguments("dots stay (a name is a DNS subdomain)", "shop", "my.app.v2",
                        "leaders-ddbstream-scaler.shop.my.app.v2.4cb04a158d8fdce3"),
                arguments("a-b/c", "a-b", "c", "leaders-ddbstream-scaler.a-b.c.4e84717d75bd540d"),
                arguments("a/b-c: the old names gave both leaders-ddbstream-scaler-a-b-c", "a", "b-c",
                        "leaders-ddbstream-scaler.a.b-c.b88f83c840abe581"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void theLeaseNameIsReadableAndPinned(String row, String namespace, String name, String lease) {
        assertEquals(lease, LeaseNames.lease(namespace, name));
        assertTrue(DNS_SUBDOMAIN.matcher(lease).matches(), lease);
    }

    @Test
    void longNamesFitAndStayApart() {
        String first = LeaseNames.lease(LONG_NAMESPACE, LONG_PREFIX + "-a");
        String second = LeaseNames.lease(LONG_NAMESPACE, LONG_PREFIX + "-b");
        assertAll(
                () -> assertNotEquals(first, second, "two long names with one long prefix"),
                () -> assertTrue(first.length() <= 142, first.length() + " characters"),
                () -> assertTrue(DNS_SUBDOMAIN.matcher(first).matches(), first),
                () -> assertEquals(LeaseNames.legacyGroup(LONG_NAMESPACE, LONG_PREFIX + "-a"),
                        LeaseNames.legacyGroup(LONG_NAMESPACE, LONG_PREFIX + "-b"), "the old names shared one"));
    }

    /** Six ScaledObjects that shared three Leases under the old names (dashes for dots, a cut at 200) have six. */
    @Test
    void sixScaledObjectsSixLeases() {
        List<String[]> scaledObjects = List.of(new String[]{"a-b", "c"}, new String[]{"a", "b-c"},
                new String[]{LONG_NAMESPACE, LONG_PREFIX + "-a"}, new String[]{LONG_NAMESPACE, LONG_PREFIX + "-b"},
                new String[]{"keda-test", "orders-consumer"}, new String[]{"keda-test", "orders.consumer"});
        Set<String> leases = scaledObjects.stream().map(so -> LeaseNames.lease(so[0], so[1])).collect(Collectors.toSet());
        Set<String> legacy = scaledObjects.stream().map(so -> LeaseNames.legacyGroup(so[0], so[1]))
                .collect(Collectors.toSet());
        assertEquals(6, leases.size(), leases.toString());
        assertEquals(3, legacy.size(), "the old names: " + legacy);
    }

    @Test
    void aLegacyNameNeverNamesTheSameLeaseAsANewOne() {
        // Legacy groups hold no dot; new groups always do.
        assertTrue(!LeaseNames.legacyGroup("shop", "my.app").contains("."));
        assertTrue(LeaseNames.group("shop", "app").contains("."));
    }
}
