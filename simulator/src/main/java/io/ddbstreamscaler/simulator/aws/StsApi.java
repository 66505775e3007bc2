package io.ddbstreamscaler.simulator.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * STS {@code AssumeRole} over the Query protocol: a form-encoded POST answered with XML
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). Issues fresh temporary keys
 * ({@code ASIA...}) so tests can tell the role's signature from the caller's.
 */
final class StsApi {

    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** Temporary credentials handed out, for tests: never printed by the simulator. */
    record Issued(String roleArn, String accessKeyId, String sessionName, Instant expiration) {
    }

    private final Clock clock;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicReference<Issued> last = new AtomicReference<>();
    private volatile Duration sessionDuration = Duration.ofHours(1);

    StsApi(Clock clock) {
        this.clock = clock;
    }

    void sessionDuration(Duration d) {
        sessionDuration = d;
    }

    Issued last() {
        return last.get();
    }

    String handle(String action, Map<String, String> form) {
        if (!"AssumeRole".equals(action)) {
            throw new SimError(400, "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
        }
        String roleArn = form.get("RoleArn");
        String session = form.get("RoleSessionName");
        if (roleArn == null || session == null) {
            throw new SimError(400, "ValidationError", "RoleArn and RoleSessionName are required");
        }
        int n = issued.incrementAndGet();
        String keyId = String.format("ASIASIM%013d", n);
        Instant expiration = clock.instant().plus(sessionDuration).truncatedTo(ChronoUnit.SECONDS);
        last.set(new Issued(roleArn, keyId, session, expiration));
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        String account = roleArn.split(":").length > 4 ? roleArn.split(":")[4] : AwsState.ACCOUNT;
        return "<AssumeRoleResponse xmlns=\"" + NS + "\">"
                + "<AssumeRoleResult>"
                + "<AssumedRoleUser><AssumedRoleId>AROASIM" + n + ":" + xml(session) + "</AssumedRoleId>"
                + "<Arn>arn:aws:sts::" + xml(account) + ":assumed-role/" + xml(roleName) + "/" + xml(session) + "</Arn>"
                + "</AssumedRoleUser>"
                + "<Credentials><AccessKeyId>" + keyId + "</AccessKeyId>"
                + "<SecretAccessKey>simsecret" + UUID.randomUUID() + "</SecretAccessKey>"
                + "<SessionToken>simtoken" + UUID.randomUUID() + "</SessionToken>"
                + "<Expiration>" + expiration + "</Expiration></Credentials>"
                + "</AssumeRoleResult>"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</AssumeRoleResponse>";
    }

    static String error(SimError e) {
        return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + xml(e.code())
                + "</Code><Message>" + xml(e.getMessage()) + "</Message></Error>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
