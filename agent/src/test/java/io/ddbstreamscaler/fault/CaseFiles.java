package io.ddbstreamscaler.fault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes case {@code n} into a folder: the malformed content between the valid Secret + TriggerAuthentication and
 * the valid ScaledObject in one file, or (when it spoils a whole file) in a file of its own beside the valid one.
 *
 * @param badFile   the file holding the malformed content
 * @param validFile the file holding the valid objects (the same file, unless the case is {@code ownFile})
 */
record CaseFiles(Path badFile, Path validFile) {

    static CaseFiles write(Path folder, int n, MalformedDocument document) {
        String stem = "case-%03d".formatted(n);
        byte[] head = (Companions.head(n) + "---\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = Companions.tail(n).getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(folder);
            if (document.ownFile()) {
                Path bad = Files.write(folder.resolve(stem + "-bad.yaml"), document.content(n));
                Path valid = Files.write(folder.resolve(stem + "-valid.yaml"), concat(head, tail));
                return new CaseFiles(bad, valid);
            }
            byte[] separator = "\n---\n".getBytes(StandardCharsets.UTF_8);
            Path file = Files.write(folder.resolve(stem + ".yaml"), concat(head, document.content(n), separator, tail));
            return new CaseFiles(file, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
