package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.trigger.AwsAuth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Which identities share clients: one client set per (region, endpoint, credentials), the external id included. */
class ClientKeyTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/r";

    static AwsAuth role(String externalId) {
        return new AwsAuth(AwsAuth.Method.ROLE, ROLE, null, null, null, null, List.of(), externalId);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, one identity, another, same clients
                Arguments.of("same role, same external id", role("EXTERNAL-A"), role("EXTERNAL-A"), true),
                Arguments.of("same role, another external id", role("EXTERNAL-A"), role("EXTERNAL-B"), false),
                Arguments.of("same role, with and without an external id", role("EXTERNAL-A"), role(null), false),
                Arguments.of("rotated secret key", Triggers.keys("AKIDKEY", "SECRET-A", null),
                        Triggers.keys("AKIDKEY", "SECRET-B", null), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keysIdentities(String name, AwsAuth one, AwsAuth other, boolean same) {
        var a = AwsClientCache.keyOf(Triggers.trigger("orders", null, one, true));
        var b = AwsClientCache.keyOf(Triggers.trigger("orders", null, other, true));

        assertAll(
                () -> assertEquals(same, a.equals(b)),
                () -> List.of("EXTERNAL-A", "EXTERNAL-B", "SECRET-A", "SECRET-B").forEach(secret -> {
                    assertFalse(a.identity().contains(secret), a.identity());
                    assertFalse(a.toString().contains(secret), a.toString());
                }));
    }
}
