package io.ddbstreamscaler.moto;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto 5.2.1 ({@code moto_server}, an independent AWS emulator installed with the machine's Python) on a free loopback
 * port, one per test class. Missing moto fails the test: the conformance suite is never skipped in silence.
 */
final class MotoServer implements AutoCloseable {

    static final String COMMAND = "moto_server";

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts moto_server and waits until it answers; throws with what to do when it is not installed. */
    static MotoServer start(Path workDir) throws IOException, InterruptedException {
        Path executable = find().orElseThrow(() -> new IllegalStateException(COMMAND + " is not on the PATH ("
                + System.getenv("PATH") + "): the moto conformance suite needs moto 5.2.1 (`pip install "
                + "'moto[server]==5.2.1'`, or pyenv's Python where it comes installed); see docs/moto.md"));
        int port = freePort();
        Path log = workDir.resolve("moto-" + port + ".log");
        Process p = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer moto = new MotoServer(p, port, log);
        moto.awaitUp();
        return moto;
    }

    private static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(d -> !d.isBlank())
                .map(d -> Path.of(d, COMMAND)).filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** moto's own status page answers once Flask is up: a few seconds on a busy machine. */
    private void awaitUp() throws IOException, InterruptedException {
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || answers());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            close();
            throw new IllegalStateException(COMMAND + " did not answer on port " + port + " within 60 s: " + Files.readString(log));
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(COMMAND + " exited with " + process.exitValue() + ": " + Files.readString(log));
        }
    }

    private boolean answers() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve("/moto-api/"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Switches IAM on: from now on every call needs an IAM user's or an assumed role's keys. The body is the number
     * of calls still let through unchecked; text/plain, as a form content type leaves it empty (moto answers 500).
     */
    void enforceIam() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve("/moto-api/reset-auth"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("0"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("moto did not switch IAM on: " + r.statusCode() + " " + r.body());
        }
    }

    @Override
    public void close() throws InterruptedException {
        // moto_server is a pyenv shim that execs Python: the process is the server itself.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
