package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.Map;

/**
 * One document of a YAML file: either its root mapping, or the reason it could not be read.
 *
 * @param index 1-based position among the file's non-empty documents
 * @param line  1-based line where the document starts
 * @param root  the document's mapping, null when {@code error} is set
 * @param error what is wrong with the document (no value of it is quoted), null when it was read
 */
record YamlDocument(Path file, int index, int line, Map<?, ?> root, String error) {

    String label() {
        return "document " + index + " (line " + line + ")";
    }
}
