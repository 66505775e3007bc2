package io.ddbstreamscaler.fault;

import java.util.ArrayList;
import java.util.List;

import static io.ddbstreamscaler.fault.MalformedDocument.rejected;
import static io.ddbstreamscaler.fault.StructureCases.DOCUMENT;
import static io.ddbstreamscaler.fault.Templates.BAD_SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.BAD_SECRET;

/** YAML bombs (billion laughs through aliases, recursive aliases) and deep nesting (up to 10k levels). */
final class BombCases {

    static final String TOO_MANY_ALIASES = "is not valid YAML: Number of aliases for non-scalar nodes exceeds";
    static final int DEEP = 10_000;

    private static final String SO_HEAD = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: bad-@N@, namespace: fault}
            """;
    private static final String SECRET_HEAD = """
            apiVersion: v1
            kind: Secret
            metadata: {name: bad-creds-@N@, namespace: fault}
            """;

    private BombCases() {
    }

    static List<MalformedDocument> bombs() {
        List<MalformedDocument> cases = new ArrayList<>();
        Category c = Category.YAML_BOMB;
        cases.add(rejected("billion laughs, 9 levels of 9 lists", c, laughs(9, 9, "lol") + "kind: Secret\n", DOCUMENT,
                null, TOO_MANY_ALIASES));
        cases.add(rejected("billion laughs as spec.triggers", c, SO_HEAD + laughs(9, 9, "lol")
                + "spec: {scaleTargetRef: {name: x}, triggers: *lol8}\n", DOCUMENT, null, TOO_MANY_ALIASES));
        cases.add(rejected("billion laughs as Secret stringData", c, SECRET_HEAD + laughs(6, 12, "s")
                + "stringData: {K: *s5}\n", DOCUMENT, null, TOO_MANY_ALIASES));
        cases.add(rejected("billion laughs of mappings", c, mappingLaughs(8, 10) + "kind: ScaledObject\n", DOCUMENT,
                null, TOO_MANY_ALIASES));
        cases.add(rejected("billion laughs in flow style on one line", c, "{kind: Secret, a: &a [x, x, x, x, x, x, x, x, x]"
                + laughsInFlow() + "}\n", DOCUMENT, null,
                TOO_MANY_ALIASES));
        StringBuilder merges = new StringBuilder(SO_HEAD + "m0: &m0 {a: 1, b: 2}\n");
        for (int i = 1; i < 30; i++) {
            merges.append("m").append(i).append(": &m").append(i).append(" {<<: [*m").append(i - 1).append(", *m")
                    .append(i - 1).append("], k").append(i).append(": v}\n");
        }
        cases.add(rejected("merge-key bomb", c, merges.toString(), DOCUMENT, null, TOO_MANY_ALIASES));
        // Under the alias limit yet 2^24 leaves when expanded: shared nodes must be walked once, not 2^24 times.
        cases.add(rejected("binary tree of 24 shared levels in Secret stringData", c, SECRET_HEAD + laughs(24, 2, "t")
                + "stringData: {AWS_SESSION_TOKEN: *t23}\n", BAD_SECRET, "stringData.AWS_SESSION_TOKEN",
                "must be a single value, got a list"));
        cases.add(rejected("binary tree of 24 shared levels as a table name", c, SO_HEAD + laughs(24, 2, "t")
                + "spec: {scaleTargetRef: {name: x}, triggers: [{type: aws-dynamodb-stream, metadata: {tableName: *t23,"
                + " awsRegion: eu-west-1, identityOwner: operator}}]}\n", BAD_SCALED_OBJECT,
                "spec.triggers[0].metadata.tableName", "must be a single value, got a list"));
        cases.add(rejected("recursive alias as spec", c, SO_HEAD + "spec: &s {scaleTargetRef: {name: x}, triggers: [*s]}\n",
                DOCUMENT, null, "contains a recursive alias"));
        cases.add(rejected("recursive alias in Secret data", c, SECRET_HEAD + "data: &d {K: [*d]}\n", DOCUMENT, null,
                "contains a recursive alias"));
        cases.add(rejected("recursive key", c, SECRET_HEAD + "data:\n  ? &k [*k]\n  : eA==\n", DOCUMENT, null,
                "is not valid YAML"));
        return cases;
    }

    static List<MalformedDocument> deepNesting() {
        List<MalformedDocument> cases = new ArrayList<>();
        Category c = Category.DEEP_NESTING;
        cases.add(rejected("10k flow lists as spec.triggers", c, SO_HEAD + "spec: {scaleTargetRef: {name: x}, triggers: "
                + "[".repeat(DEEP) + "]".repeat(DEEP) + "}\n", DOCUMENT, null, "nests deeper than 64 levels"));
        cases.add(rejected("10k flow mappings in Secret stringData", c, SECRET_HEAD + "stringData: "
                + "{a: ".repeat(DEEP) + "SECRET-CANARY-@N@" + "}".repeat(DEEP) + "\n", DOCUMENT, null,
                "nests deeper than 64 levels"));
        cases.add(rejected("10k compact block lists", c, SO_HEAD + "spec:\n  triggers:\n  " + "- ".repeat(DEEP) + "x\n",
                DOCUMENT, null, "nests"));
        cases.add(rejected("10k compact block lists in a Secret key", c, SECRET_HEAD + "data:\n  ? " + "- ".repeat(DEEP)
                + "x\n  : eA==\n", DOCUMENT, null, "nests"));
        cases.add(rejected("65 block mappings", c, SO_HEAD + blockMappings(65), DOCUMENT, null,
                "nests deeper than 64 levels"));
        // Deep enough to exhaust the parser's stack in a small thread: "nests too deeply to be read" then.
        cases.add(rejected("1000 block mappings", c, SO_HEAD + blockMappings(1000), DOCUMENT, null, "nests"));
        cases.add(rejected("mixed flow nesting of 10k", c, SO_HEAD + "spec: " + "{a: [".repeat(DEEP / 2)
                + "]}".repeat(DEEP / 2) + "\n", DOCUMENT, null, "nests deeper than 64 levels"));
        StringBuilder deepAnchor = new StringBuilder(SECRET_HEAD + "deep: &deep ");
        deepAnchor.append("[".repeat(60)).append("x").append("]".repeat(60)).append('\n');
        deepAnchor.append("stringData: ").append("{a: ".repeat(10)).append("*deep").append("}".repeat(10)).append('\n');
        cases.add(rejected("a 60-deep anchor used 10 levels down", c, deepAnchor.toString(), DOCUMENT, null,
                "nests deeper than 64 levels"));
        return cases;
    }

    private static String laughsInFlow() {
        StringBuilder text = new StringBuilder();
        String names = "abcdefg";
        for (int i = 1; i < names.length(); i++) {
            String alias = "*" + names.charAt(i - 1);
            text.append(", ").append(names.charAt(i)).append(": &").append(names.charAt(i)).append(" [")
                    .append((alias + ", ").repeat(8)).append(alias).append("]");
        }
        return text.toString();
    }

    /** {@code levels} anchors, each a list of {@code width} aliases of the one before: width^levels leaves. */
    static String laughs(int levels, int width, String prefix) {
        StringBuilder text = new StringBuilder();
        text.append(prefix).append("0: &").append(prefix).append("0 [").append("x, ".repeat(width - 1)).append("x]\n");
        for (int level = 1; level < levels; level++) {
            String alias = "*" + prefix + (level - 1);
            text.append(prefix).append(level).append(": &").append(prefix).append(level).append(" [")
                    .append((alias + ", ").repeat(width - 1)).append(alias).append("]\n");
        }
        return text.toString();
    }

    private static String mappingLaughs(int levels, int width) {
        StringBuilder text = new StringBuilder("m0: &m0 {v: x}\n");
        for (int level = 1; level < levels; level++) {
            text.append("m").append(level).append(": &m").append(level).append(" {");
            for (int i = 0; i < width; i++) {
                text.append(i == 0 ? "" : ", ").append("k").append(i).append(": *m").append(level - 1);
            }
            text.append("}\n");
        }
        return text.toString();
    }

    private static String blockMappings(int levels) {
        StringBuilder text = new StringBuilder("spec:\n");
        for (int i = 1; i <= levels; i++) {
            text.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        return text.append(" ".repeat(levels + 1)).append("leaf\n").toString();
    }
}
