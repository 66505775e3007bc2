package io.ddbstreamscaler.trigger;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a v1 Secret: {@code data} is base64 (errors name the key, never the value), {@code stringData} is plain. */
final class SecretParser {

    private SecretParser() {
    }

    static SecretManifest parse(Path file, ObjectHeader header, YamlView root, Problems problems) {
        Map<String, String> values = new LinkedHashMap<>();
        root.strings("data").forEach((key, encoded) -> {
            try {
                // The API server decodes data with standard base64; whitespace from line-wrapped tools is tolerated.
                if (!isBase64(encoded)) {
                    throw new IllegalArgumentException("not base64");
                }
                values.put(key, utf8(Base64.getMimeDecoder().decode(encoded.strip())));
            } catch (IllegalArgumentException | CharacterCodingException e) {
                problems.add("data." + key, "is not valid base64 of UTF-8 text (value not shown)");
            }
        });
        // As the API server does: stringData is merged into data, stringData winning.
        values.putAll(root.strings("stringData"));
        return new SecretManifest(file, header.namespace(), header.name(), values);
    }

    /** The MIME decoder skips illegal characters silently: check the alphabet ourselves. */
    private static boolean isBase64(String encoded) {
        return encoded.strip().replaceAll("\\s", "").matches("[A-Za-z0-9+/]*={0,2}");
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
