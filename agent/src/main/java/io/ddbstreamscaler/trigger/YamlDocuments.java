package io.ddbstreamscaler.trigger;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a multi-document YAML file defensively: each document is parsed on its own, so a broken document yields an
 * error for that document and never hides the good ones around it; YAML bombs (alias expansion), deep nesting,
 * huge files and binary garbage become errors, never exceptions or an exhausted heap.
 */
final class YamlDocuments {

    /**
     * Kubernetes rejects objects over about 1.5 MiB (etcd's request limit), but a manifest folder may hold a bundle of
     * many objects (CRD bundles reach several MiB): room for those, not for a runaway file.
     */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    /**
     * The API server refuses request bodies over 3 MiB ({@code MaxRequestBodyBytes} in k8s.io/apiserver
     * pkg/server/config.go): no bigger object (10 MB table names, 100k triggers) can exist in a cluster. Checked before
     * parsing, as parsing such a document alone takes seconds.
     */
    static final int MAX_DOCUMENT_CHARS = 3 * 1024 * 1024;
    /** The billion-laughs guard: a manifest has no reason for many aliases to collections. */
    static final int MAX_ALIASES = 50;
    /** Kubernetes objects nest a dozen levels deep; anything far deeper is hostile or broken. */
    static final int MAX_DEPTH = 64;
    /**
     * The parser's read buffer. snakeyaml-engine copies its window at every refill of its buffer (1024 characters by
     * default), so one long scalar costs time quadratic in its length: 4 s for 1 MB, over 40 s for 10 MB. A buffer
     * that holds a whole document (up to this size) reads it in one go.
     */
    static final int MAX_BUFFER_CHARS = 1024 * 1024;

    private YamlDocuments() {
    }

    static List<YamlDocument> read(Path file) {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                return List.of(fileError(file, "is " + size + " bytes, more than the limit of " + MAX_FILE_BYTES));
            }
            text = decodeUtf8(Files.readAllBytes(file));
        } catch (CharacterCodingException e) {
            return List.of(fileError(file, "is not UTF-8 text (binary data?)"));
        } catch (IOException e) {
            return List.of(fileError(file, "cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
        }
        if (text.indexOf('\0') >= 0) {
            return List.of(fileError(file, "contains NUL characters (binary data?)"));
        }
        List<YamlDocument> documents = new ArrayList<>();
        int index = 0;
        for (DocumentSplitter.Chunk chunk : DocumentSplitter.split(text)) {
            YamlDocument document = parse(file, index + 1, chunk);
            if (document != null) {
                index++;
                documents.add(document);
            }
        }
        return documents;
    }

    private static YamlDocument parse(Path file, int index, DocumentSplitter.Chunk chunk) {
        if (chunk.text().length() > MAX_DOCUMENT_CHARS) {
            return error(file, index, chunk.line(), "is " + chunk.text().length() + " characters, more than the "
                    + MAX_DOCUMENT_CHARS + " bytes the Kubernetes API server accepts in one request: not read");
        }
        if (DocumentSplitter.flowDepth(chunk.text()) > MAX_DEPTH) {
            return error(file, index, chunk.line(), "nests deeper than " + MAX_DEPTH + " levels");
        }
        Object root;
        try {
            List<Object> loaded = new ArrayList<>();
            new Load(settings(chunk.text().length())).loadAllFromString(chunk.text()).forEach(loaded::add);
            loaded.removeIf(o -> o == null);
            if (loaded.isEmpty()) {
                return null;
            }
            if (loaded.size() > 1) {
                return error(file, index, chunk.line(), "holds several documents that could not be told apart");
            }
            root = loaded.get(0);
        } catch (MarkedYamlEngineException e) {
            // getProblem() and the mark only: getMessage() quotes the offending line, which may hold a credential.
            String where = e.getProblemMark().map(m -> " at line " + (chunk.line() + m.getLine())
                    + ", column " + (m.getColumn() + 1)).orElse("");
            return error(file, index, chunk.line(), "is not valid YAML: " + e.getProblem() + where);
        } catch (YamlEngineException e) {
            // With a cause, the message is only the cause's toString() (a ClassCastException between the parser's node
            // classes for "--- !!map" on a list): say what the user can act on instead.
            return error(file, index, chunk.line(), "is not valid YAML: "
                    + (e.getCause() == null ? e.getMessage() : "a node does not match its tag (such as !!map on a list)"));
        } catch (RuntimeException e) {
            // A parser failure on input it should have rejected: still this document's error, never the caller's.
            return error(file, index, chunk.line(), "cannot be read: the YAML parser failed on it");
        } catch (StackOverflowError e) {
            return error(file, index, chunk.line(), "nests too deeply to be read");
        }
        if (!(root instanceof java.util.Map<?, ?> mapping)) {
            return error(file, index, chunk.line(), "must be a mapping (a Kubernetes object), got "
                    + YamlView.shape(root));
        }
        String shapeProblem = TreeDepth.check(mapping, MAX_DEPTH);
        if (shapeProblem != null) {
            return error(file, index, chunk.line(), shapeProblem);
        }
        return new YamlDocument(file, index, chunk.line(), mapping, null);
    }

    private static LoadSettings settings(int chars) {
        return LoadSettings.builder()
                .setBufferSize(Math.min(chars + 1, MAX_BUFFER_CHARS))
                .setLabel("trigger file")
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setAllowDuplicateKeys(false)
                .setCodePointLimit((int) MAX_FILE_BYTES)
                .build();
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static YamlDocument fileError(Path file, String message) {
        return new YamlDocument(file, 0, 1, null, message);
    }

    private static YamlDocument error(Path file, int index, int line, String message) {
        return new YamlDocument(file, index, line, null, message);
    }
}
