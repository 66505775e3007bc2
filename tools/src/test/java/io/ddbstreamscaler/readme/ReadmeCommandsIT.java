package io.ddbstreamscaler.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * README's examples run as written. Every {@code ```sh} block of its "Commands" section, in order, in one bash session
 * (as a user pastes them into one terminal), from the repository root against the built jars and the simulators. For
 * each block: every {@code java -jar} and {@code kubectl} command exits 0 (a background one, ending in {@code &}, is not
 * waited for); every output README shows after a command ({@code #   text}) is in that command's output; and when the
 * block ends, no process it started is left (each block stops what it starts, so the next one finds its ports free).
 *
 * <p>The only edits to the text: the fixed ports (4566, 9876) and {@code /tmp/kc} become ones of this run, so that the
 * test runs beside other builds on a shared machine. A block that says it is "not run by ReadmeCommandsIT" (it needs
 * the reader's cluster) is skipped.
 */
class ReadmeCommandsIT {

    static final Path README = Path.of("README.md");
    static final Pattern BLOCK = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);
    static final String SKIP = "not run by `ReadmeCommandsIT`";
    static final String EXPECTED = "#   ";

    /** One logical command of a block (backslash continuations joined), and the output README shows after it. */
    record Command(int id, String text, List<String> expected) {
        boolean checked() {
            String t = text.strip();
            return !t.endsWith("&") && (t.contains("java -jar") || t.startsWith("kubectl"));
        }
    }

    record Block(int index, List<Command> commands) {
    }

    @Test
    void everyBlockOfTheCommandsSectionRunsAsWrittenAndShowsWhatReadmeShows(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("curl") && onPath("kubectl"), "README's blocks use curl and kubectl");
        assertTrue(Files.isRegularFile(Path.of("target/ddbstream-scaler.jar"))
                && Files.isRegularFile(Path.of("target/tools/ddbstream-scaler-tools.jar")),
                "README runs the jars of a build of the repository: target/ddbstream-scaler.jar and target/tools/");
        List<Block> blocks = blocks(Files.readString(README), dir);
        assertEquals(3, blocks.size(), "the Commands section's runnable blocks: validate/simulate, check, run/status");

        String marker = "README_RUN=" + UUID.randomUUID();
        Path script = dir.resolve("readme.sh");
        Files.writeString(script, script(blocks));
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        builder.environment().put("README_RUN", marker.substring("README_RUN=".length()));
        // A clean environment for what README sets itself: no AWS endpoint, keys or agent settings of the machine's.
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_"));
        Process bash = builder.start();
        StringBuilder output = new StringBuilder();
        List<String> leftovers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8)) {
            Thread watchdog = watchdog(bash, marker, deadline);
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("@@BLOCK-END ")) {
                    // The block is over: whatever it started must have stopped. The script waits until this is checked.
                    for (ProcessHandle p : started(marker, bash.pid())) {
                        leftovers.add("block " + line.substring(12) + " left running: " + p.info().commandLine().orElse("?"));
                        p.destroyForcibly();
                    }
                    in.write("\n");
                    in.flush();
                }
            }
            watchdog.interrupt();
        } finally {
            bash.destroyForcibly();
            started(marker, -1).forEach(ProcessHandle::destroyForcibly);
        }
        String text = output.toString();
        assertEquals(List.of(), leftovers, "each block stops what it starts");
        for (Block block : blocks) {
            for (Command c : block.commands()) {
                String shown = outputOf(text, c.id());
                if (c.checked()) {
                    assertEquals("0", exitOf(text, c.id()), () -> "block " + block.index() + " `" + c.text() + "` failed:\n"
                            + shown);
                }
                for (String expected : c.expected()) {
                    assertTrue(shown.contains(expected), () -> "block " + block.index() + " `" + c.text()
                            + "` does not show README's\n  " + expected + "\nit showed:\n" + shown);
                }
            }
        }
    }

    /** The runnable blocks of the Commands section, with this run's ports and kubeconfig path. */
    static List<Block> blocks(String readme, Path dir) throws IOException {
        String section = readme.substring(readme.indexOf("## Commands\n"), readme.indexOf("## Configuration reference\n"));
        int awsPort = freePort();
        int managementPort = freePort();
        List<Block> blocks = new ArrayList<>();
        int id = 0;
        Matcher m = BLOCK.matcher(section);
        while (m.find()) {
            String before = section.substring(Math.max(0, m.start() - 300), m.start()).stripTrailing();
            // The paragraph before the block, its lines joined: the phrase may be wrapped.
            if (before.substring(Math.max(0, before.lastIndexOf("\n\n"))).replace('\n', ' ').contains(SKIP)) {
                continue;
            }
            String body = m.group(1).replace("4566", Integer.toString(awsPort))
                    .replace("9876", Integer.toString(managementPort)).replace("/tmp/kc", dir.resolve("kc").toString());
            List<Command> commands = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            for (String line : body.split("\n")) {
                if (line.startsWith(EXPECTED)) {
                    commands.get(commands.size() - 1).expected().add(line.substring(EXPECTED.length()).strip());
                } else if (line.isBlank() || line.startsWith("#")) {
                    continue;
                } else if (line.endsWith("\\")) {
                    pending.append(line, 0, line.length() - 1).append(' ');
                } else {
                    commands.add(new Command(id++, pending.append(line).toString(), new ArrayList<>()));
                    pending.setLength(0);
                }
            }
            blocks.add(new Block(blocks.size() + 1, commands));
        }
        return blocks;
    }

    /** The blocks in one script, each command between markers with its exit code, each block waiting to be checked. */
    static String script(List<Block> blocks) {
        StringBuilder s = new StringBuilder();
        for (Block block : blocks) {
            for (Command c : block.commands()) {
                s.append("printf '\\n@@BEGIN ").append(c.id()).append("\\n'\n");
                s.append(c.text()).append('\n');
                s.append("printf '\\n@@END ").append(c.id()).append(" %s\\n' \"$?\"\n");
            }
            s.append("printf '\\n@@BLOCK-END ").append(block.index()).append("\\n'\nread -r _checked\n");
        }
        return s.toString();
    }

    static String outputOf(String text, int id) {
        int begin = text.indexOf("@@BEGIN " + id + "\n");
        int end = text.indexOf("@@END " + id + " ");
        return begin < 0 || end < 0 ? "(not run)" : text.substring(begin, end);
    }

    static String exitOf(String text, int id) {
        Matcher m = Pattern.compile("@@END " + id + " (\\d+)").matcher(text);
        return m.find() ? m.group(1) : "(not run)";
    }

    /** Processes of this run (they carry its marker in their environment), bash itself excepted. */
    static List<ProcessHandle> started(String marker, long bashPid) {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == bashPid || pid == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    String environ = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
                    if (("\0" + environ).contains("\0" + marker + "\0")) {
                        ProcessHandle.of(pid).ifPresent(found::add);
                    }
                } catch (IOException | SecurityException e) {
                    // Another user's process, or one that has just exited: not ours.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    /** Stops the run when it overruns (a simulator that never listens would keep an `until` loop going). */
    private static Thread watchdog(Process bash, String marker, long deadline) {
        Thread t = new Thread(() -> {
            try {
                long wait = deadline - System.nanoTime();
                if (!bash.waitFor(Math.max(1, wait), TimeUnit.NANOSECONDS)) {
                    started(marker, -1).forEach(ProcessHandle::destroyForcibly);
                    bash.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "readme-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
