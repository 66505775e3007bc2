package io.ddbstreamscaler.trigger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** "Did you mean": which misspellings find our names, and which other names stay other names. */
class NearestNameTest {

    static final List<String> TYPES = List.of("aws-dynamodb-streams", "aws-dynamodb-stream");

    static Stream<Arguments> types() {
        return Stream.of(
                Arguments.of("a letter dropped", "aws-dynamodb-steams", Optional.of("aws-dynamodb-streams")),
                Arguments.of("two neighbours swapped", "aws-dynamodb-straem", Optional.of("aws-dynamodb-stream")),
                Arguments.of("case only", "AWS-DynamoDB-Stream", Optional.of("aws-dynamodb-stream")),
                Arguments.of("underscores for dashes", "aws_dynamodb_streams", Optional.of("aws-dynamodb-streams")),
                Arguments.of("three edits: still a typo", "aws-dynamo-streams", Optional.of("aws-dynamodb-streams")),
                Arguments.of("KEDA's DynamoDB table scaler is another scaler", "aws-dynamodb", Optional.empty()),
                Arguments.of("KEDA's Kinesis scaler is another scaler", "aws-kinesis-stream", Optional.empty()),
                Arguments.of("no prefix at all: too far to guess", "dynamodb-streams", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("types")
    void nearestTypeWithinThreeEdits(String row, String word, Optional<String> expected) {
        assertEquals(expected, NearestName.within(word, TYPES, DynamoDbStreamTriggerParser.TYPE_TYPO_DISTANCE));
    }

    static Stream<Arguments> distances() {
        return Stream.of(
                Arguments.of("equal", "shardCount", "shardCount", 0),
                Arguments.of("case is free", "shardcount", "shardCount", 0),
                Arguments.of("an inserted letter", "sharedCount", "shardCount", 1),
                Arguments.of("a swap costs one", "shradCount", "shardCount", 1),
                Arguments.of("a substitution", "shardCaunt", "shardCount", 1),
                Arguments.of("empty", "", "abc", 3));
    }

    @Test
    void theEditLimitItselfIsATypoAndATieGoesToTheFirstCandidate() {
        assertEquals(Optional.of("abcd"), NearestName.within("xyzd", List.of("abcd"), 3));
        assertEquals(Optional.empty(), NearestName.within("xyzd", List.of("abcd"), 2));
        assertEquals(Optional.of("aa"), NearestName.within("ab", List.of("aa", "bb"), 1));
        assertEquals(Optional.of("bb"), NearestName.within("ab", List.of("bb", "aa"), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distances")
    void distance(String row, String a, String b, int expected) {
        assertEquals(expected, NearestName.distance(a, b));
        assertEquals(expected, NearestName.distance(b, a));
    }
}
