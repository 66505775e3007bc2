package io.ddbstreamscaler.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The few docker CLI calls the footprint bench makes for its image run; each answers "no" rather than throwing. */
final class Docker {

    private Docker() {
    }

    /** Whether a docker daemon answers and the image is there. */
    static boolean hasImage(String image) {
        return run(List.of("docker", "image", "inspect", "-f", "{{.Id}}", image)).startsWith("sha256:");
    }

    /** The container's main process as the host sees it, 0 while it is not running. */
    static long containerPid(String name) {
        try {
            return Long.parseLong(run(List.of("docker", "inspect", "-f", "{{.State.Pid}}", name)).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static void remove(String name) {
        run(List.of("docker", "rm", "-f", name));
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
