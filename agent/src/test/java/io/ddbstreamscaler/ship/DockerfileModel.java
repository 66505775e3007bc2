package io.ddbstreamscaler.ship;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of the Dockerfile the tests compare with k8s/: instructions with continuations joined and comments
 * dropped, the way the Docker builder reads them.
 *
 * @param instructions every instruction, e.g. {@code COPY --from=app /src/target/lib/ /opt/ddbstream-scaler/lib/}
 */
record DockerfileModel(List<String> instructions) {

    static DockerfileModel read(Path file) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(trimmed).toString());
            current.setLength(0);
        }
        return new DockerfileModel(List.copyOf(instructions));
    }

    /** The instructions of the stage named {@code stage} (from its FROM to the next FROM). */
    DockerfileModel stage(String stage) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String i : instructions) {
            if (i.startsWith("FROM ")) {
                in = i.endsWith(" AS " + stage);
            } else if (in) {
                out.add(i);
            }
        }
        return new DockerfileModel(List.copyOf(out));
    }

    List<String> withKeyword(String keyword) {
        return instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
    }

    /** COPY instructions reading the build context (no --from): their source paths. */
    List<String> contextCopySources() {
        return withKeyword("COPY").stream().filter(c -> !c.contains("--from="))
                .map(c -> Arrays.stream(c.split("\\s+")).skip(1).filter(t -> !t.startsWith("--")).toList())
                .flatMap(tokens -> tokens.subList(0, tokens.size() - 1).stream()).toList();
    }

    /** The exec-form ENTRYPOINT or CMD as a list of arguments. */
    List<String> execForm(String keyword) {
        List<String> found = withKeyword(keyword);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + ", found " + found);
        }
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(found.get(0));
        List<String> args = new ArrayList<>();
        while (m.find()) {
            args.add(m.group(1));
        }
        return args;
    }

    /** ENV key=value pairs (values unquoted). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher("");
        for (String e : withKeyword("ENV")) {
            m.reset(e.substring(4));
            while (m.find()) {
                env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return env;
    }

    String single(String keyword) {
        List<String> found = withKeyword(keyword);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + ", found " + found);
        }
        return found.get(0).substring(keyword.length() + 1).strip();
    }
}
