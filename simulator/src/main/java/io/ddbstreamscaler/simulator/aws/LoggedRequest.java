package io.ddbstreamscaler.simulator.aws;

import java.time.Instant;

/**
 * One request the simulator answered, for tests to assert on.
 *
 * @param operation             DescribeTable, DescribeStream, ListStreams or AssumeRole
 * @param resource              the table name, stream ARN or role ARN the request named
 * @param exclusiveStartShardId the DescribeStream page asked for, null for the first
 * @param limit                 DescribeStream's Limit, null when unset
 * @param accessKeyId           from the SigV4 Authorization header's Credential scope, null when unsigned
 * @param region                from the same scope
 * @param sessionToken          whether X-Amz-Security-Token was sent
 * @param attempt               the SDK's attempt number (amz-sdk-request), 0 when absent
 * @param status                HTTP status answered
 * @param errorCode             the error answered, null on success
 */
public record LoggedRequest(Instant at, String operation, String resource, String exclusiveStartShardId, Integer limit,
                            String accessKeyId, String region, boolean sessionToken, int attempt, int status,
                            String errorCode) {

    public boolean succeeded() {
        return errorCode == null;
    }
}
