package io.ddbstreamscaler.simulator.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credential scope of a SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/dynamodb/aws4_request, SignedHeaders=..., Signature=...}
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html). The signature is not
 * verified: the simulator has no secrets to check it with.
 */
public record SigV4Scope(String accessKeyId, String date, String region, String service) {

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request");

    /** The scope, or null when the header is missing or not SigV4. */
    public static SigV4Scope parse(String authorization) {
        if (authorization == null) {
            return null;
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? new SigV4Scope(m.group(1), m.group(2), m.group(3), m.group(4)) : null;
    }
}
