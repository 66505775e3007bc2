package io.ddbstreamscaler.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The floor the agent's start is compared with, in the same run: camel-main's own {@code org.apache.camel.main.Main}
 * with a one-line YAML timer route, on the agent's jar and lib/ (so camel-main reads the agent's
 * application.properties, as the agent does) and the image's JVM flags. Its first tick is what a Camel application
 * with no AWS, Kubernetes or config work costs to start on this machine.
 */
final class CamelFloor {

    /** The whole route: a tick at once (camel-timer waits 1 s by default) and every second, logged under io.ddbstreamscaler (the jar's logback.xml: Camel's own at WARN). */
    static final String ROUTE = "- from: {uri: \"timer:floor?delay=0&period=1000\", steps: [{log: {message: \"floor tick\", "
            + "logName: io.ddbstreamscaler.floor}}]}\n";

    /**
     * @param firstTick process start to the first "floor tick" line, empty when it never came
     * @param after     RSS and threads that long after the process started
     */
    record Reading(Optional<Duration> firstTick, ProcStatus status, Duration after) {
    }

    private CamelFloor() {
    }

    static List<String> command(String java, Path jar, Path routeFile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ShippedJvm.ENTRYPOINT_FLAGS);
        cmd.addAll(List.of("-cp", jar + File.pathSeparator + jar.resolveSibling("lib") + "/*",
                "-Dcamel.main.routes-include-pattern=file:" + routeFile, "org.apache.camel.main.Main"));
        return cmd;
    }

    /** Starts the floor, waits for its first tick, samples it {@code after} its start, and stops it. */
    static Reading measure(String java, Path jar, Path work, Duration after) throws IOException, InterruptedException {
        Path route = work.resolve("floor.camel.yaml");
        Files.writeString(route, ROUTE);
        ProcessBuilder pb = new ProcessBuilder(command(java, jar, route)).redirectErrorStream(true).directory(work.toFile());
        pb.environment().put("JAVA_TOOL_OPTIONS", ShippedJvm.JAVA_TOOL_OPTIONS);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        Instant start = Instant.now();
        Process process = pb.start();
        Instant[] tick = new Instant[1];
        Thread drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.contains("floor tick")) {
                        synchronized (tick) {
                            if (tick[0] == null) {
                                tick[0] = Instant.now();
                                tick.notifyAll();
                            }
                        }
                    }
                }
            } catch (IOException gone) {
                // the process ended
            }
        }, "floor-output");
        drain.setDaemon(true);
        drain.start();
        try {
            synchronized (tick) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (tick[0] == null && process.isAlive() && System.currentTimeMillis() < deadline) {
                    tick.wait(200);
                }
            }
            Duration left = after.minus(Duration.between(start, Instant.now()));
            if (!left.isNegative()) {
                Thread.sleep(left.toMillis());
            }
            ProcStatus status = process.isAlive() ? ProcStatus.read(process.pid()) : new ProcStatus(0, 0, 0);
            Optional<Duration> first;
            synchronized (tick) {
                first = Optional.ofNullable(tick[0]).map(t -> Duration.between(start, t));
            }
            return new Reading(first, status, after);
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
