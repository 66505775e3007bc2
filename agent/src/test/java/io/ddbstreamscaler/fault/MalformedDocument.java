package io.ddbstreamscaler.fault;

import java.nio.charset.StandardCharsets;

/**
 * One generated malformed document (or a few documents that are malformed together) and what the loader must say.
 * Text content and expectations may hold {@value #N}, replaced by the case number so that every case's objects and
 * canaries are unique.
 *
 * @param ownFile         true when the bad content spoils a whole file (binary data): it is written to a file of its
 *                        own beside the valid objects' file, else between the valid objects in one file
 * @param expectedObject  how the expected error names the object: "Kind namespace/name", or a prefix such as
 *                        "document " for documents that have no usable name; null when not REJECTED
 * @param expectedField   the expected error's field path, null for a whole-document error
 * @param expectedMessage a fragment of the expected error's message (or of the warning or note, when SKIPPED_WITH_...)
 * @param alsoLoaded      "namespace/name" of a ScaledObject of the malformed unit that is valid and must load too
 *                        (the first of two definitions), null when none
 */
record MalformedDocument(String name, Category category, Outcome outcome, boolean ownFile, String text, byte[] bytes,
                         String expectedObject, String expectedField, String expectedMessage, String alsoLoaded) {

    static final String N = "@N@";

    MalformedDocument(String name, Category category, Outcome outcome, boolean ownFile, String text, byte[] bytes,
                      String expectedObject, String expectedField, String expectedMessage) {
        this(name, category, outcome, ownFile, text, bytes, expectedObject, expectedField, expectedMessage, null);
    }

    MalformedDocument alsoLoading(String id) {
        return new MalformedDocument(name, category, outcome, ownFile, text, bytes, expectedObject, expectedField,
                expectedMessage, id);
    }

    /** The ScaledObjects that must load for case {@code n}: the valid companion, and {@link #alsoLoaded} if any. */
    java.util.List<String> loaded(int n) {
        return alsoLoaded == null ? java.util.List.of(Companions.id(n))
                : java.util.List.of(Companions.id(n), fill(alsoLoaded, n)).stream().sorted().toList();
    }

    static MalformedDocument rejected(String name, Category category, String text, String object, String field,
                                      String message) {
        return new MalformedDocument(name, category, Outcome.REJECTED, false, text, null, object, field, message);
    }

    MalformedDocument inOwnFile() {
        return new MalformedDocument(name, category, outcome, true, text, bytes, expectedObject, expectedField,
                expectedMessage, alsoLoaded);
    }

    MalformedDocument withOutcome(Outcome newOutcome) {
        return new MalformedDocument(name, category, newOutcome, ownFile, text, bytes, expectedObject, expectedField,
                expectedMessage, alsoLoaded);
    }

    /** The content for case {@code n}. */
    byte[] content(int n) {
        return bytes != null ? bytes.clone() : fill(text, n).getBytes(StandardCharsets.UTF_8);
    }

    String expectedObject(int n) {
        return fill(expectedObject, n);
    }

    String expectedMessage(int n) {
        return fill(expectedMessage, n);
    }

    static String fill(String template, int n) {
        return template == null ? null : template.replace(N, Integer.toString(n));
    }

    @Override
    public String toString() {
        return category + "/" + name;
    }
}
