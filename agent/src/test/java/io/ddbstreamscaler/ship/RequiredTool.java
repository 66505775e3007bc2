package io.ddbstreamscaler.ship;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A program a test runs (kubectl, promtool, node) that is not part of the build. On a developer's machine a missing one
 * skips the test, saying how to install it; in CI ({@code CI=true}, as .ci/run runs) it fails the test: .ci/run
 * installs every such tool or stops, so a skip there would hide a test that never ran.
 */
public final class RequiredTool {

    /** How to get kubectl: Debian bookworm's kubernetes-client (1.20, kustomize v2.0.3) cannot render k8s/. */
    public static final String KUBECTL = "kubectl 1.21 or newer, kustomize v4+; .ci/run requires it";

    private RequiredTool() {
    }

    /** Whether {@code program} is an executable file in a folder of PATH. */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    /** Fails (in CI) or skips (elsewhere) unless {@code program} is on PATH. */
    public static void require(String program, String howToInstall) {
        if (!onPath(program)) {
            missing(program + " is not on PATH", howToInstall);
        }
    }

    /** Fails (in CI) or skips (elsewhere): something a test needs is missing. */
    public static void missing(String what, String howToInstall) {
        String message = what + " (" + howToInstall + ")";
        if (inCi()) {
            fail(message + ": CI must install it (.ci/run), so this is a failure here, never a skip");
        }
        Assumptions.abort(message);
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
