package io.ddbstreamscaler.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/iam-policy.json grants exactly the calls the agent makes, on the resources its access-denied messages name.
 * (That moto accepts its actions is MotoConformanceIT's "least privilege" row.)
 */
class IamPolicyFileTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, the call, the file's action, the file's resource
                Arguments.of("DescribeTable on the table", AwsCall.describeTable("TABLE_NAME", "REGION"),
                        "dynamodb:DescribeTable", "arn:aws:dynamodb:REGION:ACCOUNT_ID:table/TABLE_NAME"),
                Arguments.of("DescribeStream on the table's streams", AwsCall.describeStream("TABLE_NAME", "REGION"),
                        "dynamodb:DescribeStream", "arn:aws:dynamodb:REGION:ACCOUNT_ID:table/TABLE_NAME/stream/*"),
                Arguments.of("Scan on the KCL lease table (kclLeaseTable only)",
                        AwsCall.scanLeases("KCL_LEASE_TABLE", "REGION"), "dynamodb:Scan",
                        "arn:aws:dynamodb:REGION:ACCOUNT_ID:table/KCL_LEASE_TABLE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void grantsWhatTheMessagesAskFor(String name, AwsCall call, String action, String resource) throws Exception {
        JsonNode policy = new ObjectMapper().readTree(java.nio.file.Files.readString(Path.of("docs", "iam-policy.json")));
        List<String> statements = new ArrayList<>();
        policy.get("Statement").forEach(s -> statements.add(s.get("Effect").asText() + " " + s.get("Action").asText()
                + " " + s.get("Resource").asText()));

        assertEquals(3, statements.size(), statements::toString);
        assertTrue(statements.contains("Allow " + action + " " + resource), statements::toString);
        assertTrue(call.grant().contains("grant " + action + " on " + resource.replace("ACCOUNT_ID", "<account>")),
                call.grant());
    }
}
