package io.ddbstreamscaler.simulator;


import io.ddbstreamscaler.simulator.aws.AwsState;
import io.ddbstreamscaler.simulator.aws.SimShard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsSimulatorStateTest {

    final ManualClock clock = new ManualClock();
    final AwsState state = new AwsState(clock, "us-east-1", AwsSimulator.RETENTION);

    @Test
    void aSplitClosesTheParentAndOpensTwoChildrenThatNameIt() {
        state.createTable("orders", 1);
        String parent = state.stream("orders").shards().get(0).shardId();

        List<SimShard> children = state.split("orders", 1);

        SimShard closed = state.stream("orders").shards().get(0);
        assertAll(
                () -> assertEquals(2, children.size()),
                () -> assertTrue(children.stream().allMatch(c -> parent.equals(c.parentShardId()) && c.isOpen())),
                () -> assertEquals(parent, closed.shardId()),
                () -> assertTrue(closed.endingSequenceNumber() > closed.startingSequenceNumber()),
                () -> assertTrue(children.get(0).startingSequenceNumber() > closed.startingSequenceNumber()));
    }

    static Stream<Arguments> expiryRows() {
        return Stream.of(
                // name, time after the split, shards listed (1 parent + 2 children)
                Arguments.of("closed shard still listed within the retention", Duration.ofHours(23), 3),
                Arguments.of("closed shard gone after 24 h", Duration.ofHours(24), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expiryRows")
    void closedShardsExpireAfterTheRetention(String name, Duration later, int listed) {
        state.createTable("orders", 1);
        state.split("orders", 1);
        clock.advance(later);

        AwsState.StreamPage page = state.describeStream(state.stream("orders").arn(), null, 100);

        assertEquals(listed, page.stream().shards().size());
    }

    static Stream<Arguments> pagingRows() {
        return Stream.of(
                // name, shards, limit, page sizes
                Arguments.of("empty stream", 0, 100, List.of(0)),
                Arguments.of("one page exactly", 100, 100, List.of(100)),
                Arguments.of("one past", 101, 100, List.of(100, 1)),
                Arguments.of("small limit", 5, 2, List.of(2, 2, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pagingRows")
    void pagesEndWithoutLastEvaluatedShardId(String name, int shards, int limit, List<Integer> sizes) {
        state.createTable("orders", shards);
        String arn = state.stream("orders").arn();

        List<Integer> seen = new ArrayList<>();
        String start = null;
        do {
            AwsState.StreamPage p = state.describeStream(arn, start, limit);
            seen.add(p.stream().shards().size());
            start = p.lastEvaluatedShardId();
        } while (start != null);

        assertEquals(sizes, seen);
    }

    @Test
    void reEnablingGivesANewArnAndTheOldStreamSaysDisabled() {
        state.createTable("orders", 2);
        String first = state.findTable("orders").orElseThrow().latestStreamArn();

        state.disableStream("orders");
        AwsState.TableView disabled = state.findTable("orders").orElseThrow();
        String second = state.enableStream("orders", 3);

        assertAll(
                () -> assertEquals(first, disabled.latestStreamArn(), "AWS keeps LatestStreamArn after disabling"),
                () -> assertTrue(!disabled.streamEnabled()),
                () -> assertNotEquals(first, second),
                () -> assertEquals("DISABLED", state.describeStream(first, null, 100).stream().status()),
                () -> assertEquals(3, state.describeStream(second, null, 100).stream().shards().size()),
                () -> assertEquals(2, state.listStreams("orders").size()));
    }

    @Test
    void aTableWithoutAStreamHasNoArn() {
        state.createTableWithoutStream("orders");

        assertNull(state.findTable("orders").orElseThrow().latestStreamArn());
    }
}
