package io.ddbstreamscaler.simulator.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DynamoDB ({@code DynamoDB_20120810.*}) and DynamoDB Streams ({@code DynamoDBStreams_20120810.*}) over the AWS JSON
 * 1.0 protocol: the shapes of botocore's {@code dynamodb/2012-08-10} and {@code dynamodbstreams/2012-08-10}
 * service models. Timestamps are epoch seconds, as that protocol writes them.
 */
final class JsonApi {

    static final ObjectMapper JSON = new ObjectMapper();
    /** AWS's DescribeStream Limit range is 1..100. */
    static final int MAX_LIMIT = 100;

    private final AwsState state;

    JsonApi(AwsState state) {
        this.state = state;
    }

    ObjectNode handle(String operation, JsonNode body) {
        return switch (operation) {
            case "DescribeTable" -> describeTable(text(body, "TableName", true));
            case "DescribeStream" -> describeStream(body);
            case "ListStreams" -> listStreams(body);
            case "Scan" -> scan(body);
            default -> throw new SimError(400, "UnknownOperationException", "unknown operation " + operation);
        };
    }

    private ObjectNode describeTable(String name) {
        AwsState.TableView t = state.findTable(name)
                .orElseThrow(() -> SimError.notFound("Table: " + name + " not found"));
        ObjectNode table = JSON.createObjectNode()
                .put("TableName", t.name())
                .put("TableStatus", "ACTIVE")
                .put("TableArn", "arn:aws:dynamodb:" + state.region() + ":" + AwsState.ACCOUNT + ":table/" + t.name())
                .put("CreationDateTime", t.createdAt().getEpochSecond())
                .put("ItemCount", 0)
                .put("TableSizeBytes", 0);
        table.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        table.putArray("AttributeDefinitions").addObject().put("AttributeName", "id").put("AttributeType", "S");
        if (t.streamEnabled()) {
            table.putObject("StreamSpecification").put("StreamEnabled", true)
                    .put("StreamViewType", "NEW_AND_OLD_IMAGES");
        }
        // AWS keeps LatestStreamArn after the stream is disabled; only StreamSpecification says it is off.
        if (t.latestStreamArn() != null) {
            table.put("LatestStreamArn", t.latestStreamArn())
                    .put("LatestStreamLabel", t.latestStreamArn().substring(t.latestStreamArn().lastIndexOf('/') + 1));
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("Table", table);
        return out;
    }

    private ObjectNode describeStream(JsonNode body) {
        String arn = text(body, "StreamArn", true);
        int limit = body.hasNonNull("Limit") ? body.get("Limit").asInt() : MAX_LIMIT;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SimError.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100");
        }
        AwsState.StreamPage page = state.describeStream(arn, text(body, "ExclusiveStartShardId", false), limit);
        AwsState.StreamView s = page.stream();
        ObjectNode d = JSON.createObjectNode()
                .put("StreamArn", s.arn())
                .put("StreamLabel", s.label())
                .put("StreamStatus", s.status())
                .put("StreamViewType", "NEW_AND_OLD_IMAGES")
                .put("CreationRequestDateTime", s.createdAt().getEpochSecond())
                .put("TableName", s.tableName());
        d.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        ArrayNode shards = d.putArray("Shards");
        for (SimShard shard : s.shards()) {
            ObjectNode o = shards.addObject().put("ShardId", shard.shardId());
            if (shard.parentShardId() != null) {
                o.put("ParentShardId", shard.parentShardId());
            }
            ObjectNode range = o.putObject("SequenceNumberRange")
                    .put("StartingSequenceNumber", Long.toString(shard.startingSequenceNumber()));
            if (shard.endingSequenceNumber() != null) {
                range.put("EndingSequenceNumber", Long.toString(shard.endingSequenceNumber()));
            }
        }
        if (page.lastEvaluatedShardId() != null) {
            d.put("LastEvaluatedShardId", page.lastEvaluatedShardId());
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("StreamDescription", d);
        return out;
    }

    private ObjectNode listStreams(JsonNode body) {
        String table = text(body, "TableName", false);
        String after = text(body, "ExclusiveStartStreamArn", false);
        int limit = body.hasNonNull("Limit") ? body.get("Limit").asInt() : MAX_LIMIT;
        var all = state.listStreams(table).stream()
                .filter(s -> after == null || s.arn().compareTo(after) > 0).toList();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode streams = out.putArray("Streams");
        all.stream().limit(limit).forEach(s -> streams.addObject()
                .put("StreamArn", s.arn()).put("TableName", s.tableName()).put("StreamLabel", s.label()));
        if (all.size() > limit) {
            out.put("LastEvaluatedStreamArn", all.get(limit - 1).arn());
        }
        return out;
    }

    /**
     * Scan with Limit, ExclusiveStartKey and a ProjectionExpression of top-level attributes (names or
     * {@code #placeholders} of ExpressionAttributeNames). Without a Limit a page holds {@link #SCAN_PAGE} items: AWS
     * stops at 1 MB, which small items such as leases reach at a few thousand.
     */
    private ObjectNode scan(JsonNode body) {
        String table = text(body, "TableName", true);
        int limit = body.hasNonNull("Limit") ? body.get("Limit").asInt() : SCAN_PAGE;
        if (limit < 1) {
            throw SimError.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        java.util.Set<String> projected = projection(body);
        String start = null;
        JsonNode startKey = body.get("ExclusiveStartKey");
        if (startKey != null && startKey.isObject() && startKey.size() == 1) {
            start = startKey.elements().next().path("S").asText(null);
        }
        AwsState.ScanPage page = state.scan(table, start, limit);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode items = out.putArray("Items");
        for (var item : page.items()) {
            ObjectNode o = items.addObject();
            item.forEach((name, value) -> {
                if (projected == null || projected.contains(name)) {
                    o.set(name, JSON.valueToTree(value));
                }
            });
        }
        out.put("Count", page.items().size()).put("ScannedCount", page.items().size());
        if (page.lastEvaluatedKey() != null) {
            out.putObject("LastEvaluatedKey").putObject(page.hashKey()).put("S", page.lastEvaluatedKey());
        }
        return out;
    }

    /** Items per Scan page without a Limit. */
    static final int SCAN_PAGE = 2000;

    /** The top-level attribute names of a ProjectionExpression, null when there is none (every attribute). */
    private static java.util.Set<String> projection(JsonNode body) {
        String expression = text(body, "ProjectionExpression", false);
        if (expression == null) {
            return null;
        }
        JsonNode names = body.path("ExpressionAttributeNames");
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String part : expression.split(",")) {
            String name = part.trim();
            if (name.startsWith("#")) {
                JsonNode real = names.get(name);
                if (real == null) {
                    throw SimError.validation("Invalid ProjectionExpression: An expression attribute name used in the"
                            + " document path is not defined; attribute name: " + name);
                }
                name = real.asText();
            }
            out.add(name);
        }
        return out;
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw SimError.validation("1 validation error detected: Value null at '" + field
                        + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        return v.asText();
    }

    static byte[] error(SimError e) {
        ObjectNode o = JSON.createObjectNode()
                .put("__type", "com.amazonaws.dynamodb.v20120810#" + e.code())
                .put("message", e.getMessage());
        return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
