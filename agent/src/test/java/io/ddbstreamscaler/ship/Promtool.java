package io.ddbstreamscaler.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' promtool (Debian package `prometheus`). Where it is missing the JUnit tests skip, and fail in CI
 * ({@link RequiredTool}); .ci/run installs it and also runs `promtool check rules` and `promtool test rules` itself.
 */
final class Promtool {

    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Result run(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            RequiredTool.missing("promtool is not on PATH: " + e.getMessage(), "apt-get install prometheus; .ci/run does");
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
