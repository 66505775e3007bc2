package io.ddbstreamscaler.stream;

/**
 * The AWS call a failure happened in, for its message: which operation, on which table, in which region, and the IAM
 * permission it needs (docs/iam-policy.json grants exactly these).
 *
 * @param operation {@code DescribeTable}, {@code DescribeStream} or {@code Scan} (of a KCL lease table); null when the
 *                  failure came before any call
 */
record AwsCall(String operation, String table, String region) {

    static final String DESCRIBE_TABLE = "DescribeTable";
    static final String DESCRIBE_STREAM = "DescribeStream";
    static final String SCAN = "Scan";

    static AwsCall describeTable(String table, String region) {
        return new AwsCall(DESCRIBE_TABLE, table, region);
    }

    static AwsCall describeStream(String table, String region) {
        return new AwsCall(DESCRIBE_STREAM, table, region);
    }

    /** A Scan of the KCL lease table {@code leaseTable} ({@code kclLeaseTable}). */
    static AwsCall scanLeases(String leaseTable, String region) {
        return new AwsCall(SCAN, leaseTable, region);
    }

    static AwsCall counting(String table, String region) {
        return new AwsCall(null, table, region);
    }

    /** The message's subject, e.g. {@code DescribeStream of table orders in us-east-1}. */
    String describe() {
        if (operation == null) {
            return "counting shards of table " + table;
        }
        if (SCAN.equals(operation)) {
            return "Scan of KCL lease table " + table + " in " + region;
        }
        return DESCRIBE_TABLE.equals(operation) ? "DescribeTable " + table + " in " + region
                : operation + " of table " + table + " in " + region;
    }

    /** What to grant: the action on the resource it is checked against. */
    String grant() {
        String tableArn = "arn:aws:dynamodb:" + region + ":<account>:table/" + table;
        if (DESCRIBE_TABLE.equals(operation)) {
            return "grant dynamodb:DescribeTable on " + tableArn + " (docs/iam-policy.json)";
        }
        if (SCAN.equals(operation)) {
            return "grant dynamodb:Scan on " + tableArn + " (docs/iam-policy.json, statement ReadTheKclLeases)";
        }
        if (DESCRIBE_STREAM.equals(operation)) {
            return "grant dynamodb:DescribeStream on " + tableArn + "/stream/* (docs/iam-policy.json)";
        }
        return "grant dynamodb:DescribeTable on " + tableArn + " and dynamodb:DescribeStream on " + tableArn
                + "/stream/* (docs/iam-policy.json)";
    }
}
