package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.policy.MetricType;
import io.ddbstreamscaler.trigger.AwsAuth;
import io.ddbstreamscaler.trigger.IdentityOwner;
import io.ddbstreamscaler.trigger.TriggerConfig;

import java.net.URI;
import java.util.List;

/** Trigger configs for probe tests. */
final class Triggers {

    static final String REGION = "us-east-1";

    private Triggers() {
    }

    static TriggerConfig trigger(String table, URI endpoint, AwsAuth auth, boolean countClosedShards) {
        return new TriggerConfig(0, "aws-dynamodb-stream", null, MetricType.AVERAGE_VALUE, table, REGION, endpoint, 2,
                0, auth.method() == AwsAuth.Method.OPERATOR ? IdentityOwner.OPERATOR : IdentityOwner.POD,
                countClosedShards, "s0-aws-dynamodb-streams-" + table, auth);
    }

    static AwsAuth keys(String id, String secret, String token) {
        return new AwsAuth(AwsAuth.Method.STATIC, null, id, secret, token, null, List.of());
    }

    static AwsAuth role(String roleArn) {
        return new AwsAuth(AwsAuth.Method.ROLE, roleArn, null, null, null, null, List.of());
    }
}
