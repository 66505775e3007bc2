package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identity one trigger uses, as logs and {@code check} print it: never a secret, the optional parts only when set. */
class AwsAuthTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/reader";

    static Stream<Arguments> printed() {
        return Stream.of(
                Arguments.of(AwsAuth.operator(), "AwsAuth[method=operator]"),
                Arguments.of(new AwsAuth(AwsAuth.Method.STATIC, null, "AKIAEXAMPLE", "wJalrSECRET", "FwoTOKEN", null,
                        List.of()), "AwsAuth[method=static, accessKeyId=<redacted>]"),
                Arguments.of(new AwsAuth(AwsAuth.Method.ROLE, ROLE, null, null, null, null, List.of(), "ext-id-SECRET"),
                        "AwsAuth[method=role, roleArn=" + ROLE + ", externalId=<set>]"),
                Arguments.of(new AwsAuth(AwsAuth.Method.ROLE, ROLE, null, null, null, null, List.of(), " "),
                        "AwsAuth[method=role, roleArn=" + ROLE + "]"),
                Arguments.of(new AwsAuth(AwsAuth.Method.POD_IDENTITY, ROLE, null, null, null, "aws", List.of()),
                        "AwsAuth[method=podIdentity, roleArn=" + ROLE + ", podIdentity=aws]"),
                Arguments.of(new AwsAuth(AwsAuth.Method.POD_IDENTITY, null, null, null, null, "aws-kiam", List.of()),
                        "AwsAuth[method=podIdentity, podIdentity=aws-kiam]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("printed")
    void printsTheMethodAndWhatIsSetButNoSecret(AwsAuth auth, String expected) {
        assertEquals(expected, auth.toString());
        assertFalse(auth.toString().contains("SECRET"));
        assertFalse(auth.toString().contains("AKIAEXAMPLE"));
        assertFalse(auth.toString().contains("TOKEN"));
    }

    @Test
    void aSessionTokenAndAnExternalIdCountOnlyWhenNotBlank() {
        assertTrue(keys("FwoTOKEN").hasSessionToken());
        assertFalse(keys(" ").hasSessionToken());
        assertFalse(keys("").hasSessionToken());
        assertFalse(keys(null).hasSessionToken());

        assertTrue(role("ext").hasExternalId());
        assertFalse(role(" ").hasExternalId());
        assertFalse(role(null).hasExternalId());
        assertFalse(AwsAuth.operator().hasExternalId());
    }

    @Test
    void theUnresolvedSecretsAreAnUnchangeableCopyAndNeverNull() {
        List<String> secrets = new ArrayList<>(List.of("shop/aws-keys"));
        AwsAuth auth = new AwsAuth(AwsAuth.Method.STATIC, null, null, null, null, null, secrets);
        secrets.add("shop/later");

        assertEquals(List.of("shop/aws-keys"), auth.unresolvedSecrets());
        assertThrows(UnsupportedOperationException.class, () -> auth.unresolvedSecrets().add("x"));
        assertEquals(List.of(), new AwsAuth(AwsAuth.Method.STATIC, null, null, null, null, null, null).unresolvedSecrets());
        assertEquals(List.of(), AwsAuth.operator().unresolvedSecrets());
    }

    @Test
    void eachMethodHasItsJsonName() {
        assertEquals(List.of("static", "role", "podIdentity", "operator"),
                Stream.of(AwsAuth.Method.values()).map(AwsAuth.Method::json).toList());
    }

    private static AwsAuth keys(String sessionToken) {
        return new AwsAuth(AwsAuth.Method.STATIC, null, "AKIAEXAMPLE", "wJalrSECRET", sessionToken, null, List.of());
    }

    private static AwsAuth role(String externalId) {
        return new AwsAuth(AwsAuth.Method.ROLE, ROLE, null, null, null, null, List.of(), externalId);
    }
}
