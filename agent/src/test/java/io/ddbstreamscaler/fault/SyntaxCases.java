package io.ddbstreamscaler.fault;

import java.util.ArrayList;
import java.util.List;

import static io.ddbstreamscaler.fault.MalformedDocument.rejected;
import static io.ddbstreamscaler.fault.StructureCases.DOCUMENT;
import static io.ddbstreamscaler.fault.Templates.BAD_AUTH;
import static io.ddbstreamscaler.fault.Templates.BAD_SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.BAD_SECRET;
import static io.ddbstreamscaler.fault.Templates.SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.SECRET;
import static io.ddbstreamscaler.fault.Templates.TRIGGER_AUTH;

/** Broken YAML text: tabs and bad indentation, duplicate keys and objects, and mixtures of {@code ---} documents. */
final class SyntaxCases {

    static final String NOT_YAML = "is not valid YAML";

    private SyntaxCases() {
    }

    static List<MalformedDocument> indentation() {
        List<MalformedDocument> cases = new ArrayList<>();
        cases.add(edit("tab before spec.triggers", SCALED_OBJECT, "  triggers:", "\ttriggers:"));
        cases.add(edit("tab before a trigger", SCALED_OBJECT, "  - type:", "\t- type:"));
        cases.add(edit("tab before a Secret key", SECRET, "  AWS_SECRET_ACCESS_KEY:", "\tAWS_SECRET_ACCESS_KEY:"));
        cases.add(edit("tab before secretTargetRef", TRIGGER_AUTH, "  secretTargetRef:", "\t secretTargetRef:"));
        cases.add(edit("dedented key inside spec", SCALED_OBJECT, "  pollingInterval: 15", " pollingInterval: 15"));
        cases.add(edit("over-indented key inside spec", SCALED_OBJECT, "  minReplicaCount: 1", "     minReplicaCount: 1"));
        cases.add(edit("list and mapping at one level", SCALED_OBJECT, "  cooldownPeriod: 60", "  - cooldownPeriod: 60"));
        cases.add(edit("no space after a colon", TRIGGER_AUTH, "spec:\n", "spec:x\n  more: y\n"));
        cases.add(edit("unclosed quote in a Secret value", SECRET, "TOKEN-CANARY-@N@-bad",
                "\"TOKEN-CANARY-@N@-bad"));
        cases.add(edit("unclosed flow mapping", TRIGGER_AUTH, "key: AWS_ACCESS_KEY_ID}", "key: AWS_ACCESS_KEY_ID"));
        cases.add(edit("stray colon in a value", SCALED_OBJECT, "name: t0", "name: t0: x"));
        cases.add(edit("block scalar indicator without content line", SECRET, "stringData: {AWS_SESSION_TOKEN: TOKEN-CANARY-@N@-bad}",
                "stringData:\n  AWS_SESSION_TOKEN: |\n TOKEN-CANARY-@N@-bad\n  x: y"));
        cases.add(edit("sequence item at column 0 under a key", SCALED_OBJECT, "  - type: aws-dynamodb-streams",
                "- type: aws-dynamodb-streams"));
        return cases;
    }

    static List<MalformedDocument> duplicates() {
        List<MalformedDocument> cases = new ArrayList<>();
        Category c = Category.DUPLICATE_KEY;
        cases.add(rejected("kind twice", c, "kind: Secret\n" + SECRET, DOCUMENT, null, "found duplicate key kind"));
        cases.add(rejected("metadata.name twice", c, SECRET.replace("{name: bad-creds-@N@,", "{name: a, name: b,"),
                DOCUMENT, null, "found duplicate key name"));
        cases.add(rejected("spec.triggers twice", c, SCALED_OBJECT + "  triggers: []\n", DOCUMENT, null,
                "found duplicate key triggers"));
        cases.add(rejected("tableName twice", c, SCALED_OBJECT.replace("tableName: bad-table-@N@,",
                "tableName: one, tableName: two,"), DOCUMENT, null, "found duplicate key tableName"));
        cases.add(rejected("Secret data key twice with two canaries", c, SECRET.replace("  AWS_SECRET_ACCESS_KEY:",
                "  AWS_ACCESS_KEY_ID: U0VDUkVU\n  AWS_SECRET_ACCESS_KEY:"),
                DOCUMENT, null, "found duplicate key AWS_ACCESS_KEY_ID"));
        cases.add(rejected("quoted and plain key are one key", c, SECRET.replace("metadata:", "\"kind\": Secret\nmetadata:"),
                DOCUMENT, null, "found duplicate key kind"));
        cases.add(rejected("secretTargetRef key twice", c, TRIGGER_AUTH.replace("key: AWS_ACCESS_KEY_ID}",
                "key: AWS_ACCESS_KEY_ID, key: OTHER}"), DOCUMENT, null, "found duplicate key key"));
        cases.add(rejected("merge key over an existing key", c, SECRET.replace("stringData:",
                "x: &x {a: 1}\ny: {a: 2, <<: *x, a: 3}\nstringData:"), DOCUMENT, null, "found duplicate key a"));
        cases.add(rejected("Secret defined twice in the unit", c, SECRET + "---\n" + SECRET, BAD_SECRET, "metadata.name",
                "is defined twice in this file; the later is ignored"));
        cases.add(rejected("TriggerAuthentication defined twice in the unit", c, TRIGGER_AUTH + "---\n" + TRIGGER_AUTH,
                BAD_AUTH, "metadata.name", "is defined twice in this file; the later is ignored"));
        cases.add(rejected("ScaledObject defined twice in the unit", c, Templates.ALL + "---\n" + SCALED_OBJECT,
                BAD_SCALED_OBJECT, "metadata.name", "is defined twice in this file; the later is ignored")
                .alsoLoading("fault/bad-@N@"));
        // Same names as the valid companions, other values: the first definition must win.
        cases.add(rejected("companion Secret redefined", c, SECRET.replace("bad-creds-@N@", "creds-@N@"),
                "Secret fault/creds-@N@", "metadata.name", "is defined twice in this file; the later is ignored"));
        cases.add(rejected("companion TriggerAuthentication redefined", c, TRIGGER_AUTH.replace("name: bad-auth-@N@",
                "name: auth-@N@"), "TriggerAuthentication fault/auth-@N@", "metadata.name",
                "is defined twice in this file; the later is ignored"));
        cases.add(rejected("trigger names twice", c, Templates.mutate(SCALED_OBJECT, Templates.path("spec.triggers"),
                List.of(trigger("bad-table-@N@"), trigger("other-table-@N@"))), BAD_SCALED_OBJECT, "spec.triggers[1].name",
                "triggerName \"t0\" is defined multiple times"));
        return cases;
    }

    static List<MalformedDocument> multiDocument() {
        List<MalformedDocument> cases = new ArrayList<>();
        Category c = Category.MULTI_DOCUMENT;
        cases.add(rejected("a scalar document", c, "--- just some text", DOCUMENT, null,
                "must be a mapping (a Kubernetes object), got text"));
        cases.add(rejected("a list document", c, "--- [a, b]", DOCUMENT, null,
                "must be a mapping (a Kubernetes object), got a list"));
        cases.add(rejected("a literal block document", c, "--- |\n  SECRET-CANARY-@N@-literal\n", DOCUMENT, null,
                "must be a mapping (a Kubernetes object), got text"));
        cases.add(rejected("an integer document", c, "---\n42\n", DOCUMENT, null,
                "must be a mapping (a Kubernetes object), got integer"));
        cases.add(rejected("text after an end marker", c, SECRET + "...\nkind: [unclosed\n", DOCUMENT, null, NOT_YAML));
        cases.add(rejected("flow Secret on the marker line", c, "--- {apiVersion: v1, kind: Secret, metadata: {name:"
                + " bad-creds-@N@, namespace: fault}, data: {AWS_SECRET_ACCESS_KEY: '!!SECRET-CANARY-@N@!!'}}",
                BAD_SECRET, "data.AWS_SECRET_ACCESS_KEY", "is not valid base64"));
        cases.add(rejected("a marker inside a block scalar", c, "apiVersion: v1\nkind: Secret\nmetadata: {name: "
                + "bad-creds-@N@}\nstringData:\n  K: |\n    SECRET-CANARY-@N@-a\n---\n    SECRET-CANARY-@N@-b\n", DOCUMENT,
                null, "must be a mapping (a Kubernetes object), got text"));
        cases.add(rejected("duplicate YAML directive", c, "%YAML 1.2\n%YAML 1.2\n---\n" + SECRET, DOCUMENT, null,
                NOT_YAML));
        cases.add(rejected("two objects without a marker", c, SECRET + TRIGGER_AUTH, DOCUMENT, null,
                "found duplicate key apiVersion"));
        cases.add(rejected("an unknown tag", c, "--- !widget\n" + SECRET, DOCUMENT, null, NOT_YAML));
        cases.add(rejected("a binary tag on a Secret value", c, SECRET.replace("\ndata:", "\ndata:\n  BLOB: !!binary U0VDUkVU"),
                BAD_SECRET, "data.BLOB", "must be a single value, got binary data"));
        cases.add(rejected("a map tag on a list", c, "--- !!map\n- a\n- b\n", DOCUMENT, null, NOT_YAML));
        cases.add(rejected("empty documents around a broken one", c, "---\n---\n# only a comment\n---\nkind: [\n---\n",
                DOCUMENT, null, NOT_YAML));
        cases.add(rejected("a Java type tag", c, SECRET.replace("kind: Secret", "kind: !!java.lang.Runtime Secret"),
                DOCUMENT, null, NOT_YAML));
        return cases;
    }

    private static java.util.Map<String, Object> trigger(String table) {
        return java.util.Map.of("type", "aws-dynamodb-streams", "name", "t0", "metadata",
                java.util.Map.of("tableName", table, "awsRegion", "eu-west-1", "identityOwner", "operator"));
    }

    /** The template with one text edit; the edit must apply, or the case would test nothing. */
    private static MalformedDocument edit(String name, String template, String from, String to) {
        if (!template.contains(from)) {
            throw new IllegalStateException(name + ": " + from + " is not in the template");
        }
        String text = template.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to));
        return rejected(name, Category.INDENTATION, text, DOCUMENT, null, NOT_YAML);
    }
}
