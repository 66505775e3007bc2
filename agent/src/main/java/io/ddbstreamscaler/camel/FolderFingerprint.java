package io.ddbstreamscaler.camel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A digest of the YAML files under some paths, read through symlinks. Comparing digests on a short period sees every
 * kind of change, including the kubelet's atomic {@code ..data} symlink swap of a mounted ConfigMap, which file-system
 * watchers miss (they see a directory event on a name they do not follow).
 */
final class FolderFingerprint {

    private FolderFingerprint() {
    }

    static String of(List<Path> paths) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path path : paths) {
                for (Path file : yamlFiles(path)) {
                    digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                    digest.update(Files.readAllBytes(file));
                    digest.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException | UncheckedIOException e) {
            // A file vanishing mid-read (a swap in progress) reads as "changed"; the next check settles it.
            return "unreadable:" + e.getMessage();
        }
    }

    private static List<Path> yamlFiles(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(path, 8, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(RouteFolder::isRouteFile)
                    .filter(f -> f.getFileName() != null && !f.toString().contains("/.."))
                    .sorted().toList();
        }
    }
}
