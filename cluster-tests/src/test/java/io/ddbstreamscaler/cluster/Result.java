package io.ddbstreamscaler.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a finished command printed, and how it ended. */
record Result(int exit, String out, String err) {

    static Result run(List<String> command, int timeoutSeconds) {
        return run(command, null, timeoutSeconds);
    }

    /** Runs a command in the repository's root to its end, stdout and stderr apart, stdin from {@code stdin}. */
    static Result run(List<String> command, String stdin, int timeoutSeconds) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("cluster-tests-out", ".txt");
            err = Files.createTempFile("cluster-tests-err", ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + timeoutSeconds + " s: "
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path p) {
        if (p != null) {
            p.toFile().delete();
        }
    }

    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
