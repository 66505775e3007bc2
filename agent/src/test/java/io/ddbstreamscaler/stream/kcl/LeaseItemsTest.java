package io.ddbstreamscaler.stream.kcl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lease items as KCL writes them (attribute names and types of {@code DynamoDBLeaseSerializer}, read in
 * awslabs/amazon-kinesis-client), with the attributes a Scan returns when it projects nothing.
 */
class LeaseItemsTest {

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    /** A KCL 2.x lease of a child shard that its owner is reading. */
    static Map<String, AttributeValue> kcl2() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("leaseKey", s("shardId-00000001700000000000-0badc0de"));
        item.put("leaseOwner", s("worker-7f3c"));
        item.put("leaseCounter", n("42"));
        item.put("ownerSwitchesSinceCheckpoint", n("0"));
        item.put("checkpoint", s("49590338271490256608559692538361571095921575989136588898"));
        item.put("checkpointSubSequenceNumber", n("0"));
        item.put("parentShardId", AttributeValue.fromSs(java.util.List.of("shardId-00000001600000000000-0badc0de")));
        return item;
    }

    /** KCL 3.x adds throughputKBps, checkpointOwner (a graceful handoff), hash key range and childShardIds. */
    static Map<String, AttributeValue> kcl3() {
        Map<String, AttributeValue> item = kcl2();
        item.put("checkpoint", s("SHARD_END"));
        item.put("throughputKBps", n("12.5"));
        item.put("checkpointOwner", s("worker-1a2b"));
        item.put("startingHashKey", s("0"));
        item.put("endingHashKey", s("340282366920938463463374607431768211455"));
        item.put("childShardIds", AttributeValue.fromSs(java.util.List.of("shardId-2", "shardId-3")));
        item.put("pendingCheckpointState", AttributeValue.fromB(SdkBytes.fromUtf8String("state")));
        return item;
    }

    static Stream<Arguments> rows() {
        Map<String, AttributeValue> unowned = kcl2();
        unowned.remove("leaseOwner");
        Map<String, AttributeValue> noCheckpoint = kcl2();
        noCheckpoint.remove("checkpoint");
        Map<String, AttributeValue> numberKey = kcl2();
        numberKey.put("leaseKey", n("7"));
        Map<String, AttributeValue> ownerAsList = kcl2();
        ownerAsList.put("leaseOwner", AttributeValue.fromSs(java.util.List.of("a")));
        return Stream.of(
                // name, item, lease (null: skipped)
                Arguments.of("KCL 2.x lease", kcl2(), new LeaseItem("shardId-00000001700000000000-0badc0de",
                        "49590338271490256608559692538361571095921575989136588898", "worker-7f3c")),
                Arguments.of("KCL 3.x lease with its extra attributes", kcl3(),
                        new LeaseItem("shardId-00000001700000000000-0badc0de", "SHARD_END", "worker-7f3c")),
                Arguments.of("no leaseOwner: nobody holds it", unowned,
                        new LeaseItem("shardId-00000001700000000000-0badc0de",
                                "49590338271490256608559692538361571095921575989136588898", null)),
                Arguments.of("no checkpoint", noCheckpoint,
                        new LeaseItem("shardId-00000001700000000000-0badc0de", null, "worker-7f3c")),
                Arguments.of("leaseOwner of another type reads as absent", ownerAsList,
                        new LeaseItem("shardId-00000001700000000000-0badc0de",
                                "49590338271490256608559692538361571095921575989136588898", null)),
                Arguments.of("leaseKey not a string: not a lease", numberKey, null),
                Arguments.of("no leaseKey at all: not a lease", Map.of("id", s("order-1")), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readsWhatTheCountNeeds(String name, Map<String, AttributeValue> item, LeaseItem expected) {
        assertEquals(expected, LeaseItems.of(item));
    }
}
