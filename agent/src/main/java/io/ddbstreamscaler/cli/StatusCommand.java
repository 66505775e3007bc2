package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code status [--url URL] [-o table|json]}: what a running agent knows, read from its {@code /observe/status} on
 * the management port, as {@code kubectl get hpa} would show it (there is no ScaledObject resource for kubectl to
 * list). Works through {@code kubectl port-forward}. Exit 0 when the agent answered with its status document, 1 when
 * nothing answered, the answer was not 200, or the document is not of the agent's shape.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a running agent's ScaledObjects (from its /observe/status) as a table, like kubectl get hpa.")
public final class StatusCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final String PATH = "/observe/status";

    enum Output { table, json }

    @Option(names = "--url", defaultValue = "http://localhost:9876", paramLabel = "URL",
            description = "The agent's management server (its " + PATH + " is read). Default: ${DEFAULT-VALUE}.")
    URI url;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (one row per ScaledObject) or json (the document as the agent sent it). "
                    + "Default: ${DEFAULT-VALUE}.")
    Output output;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    public StatusCommand() {
        this(Clock.systemUTC());
    }

    StatusCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            URI statusUri = statusUri(url);
            JsonNode document = parseJson(fetch(statusUri), statusUri);
            AgentStatus status = AgentStatus.parse(document);
            if (output == Output.json) {
                out.print(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
                out.println();
            } else {
                out.print(StatusTable.render(status, clock.instant()));
                printErrors(status, err);
            }
            return EXIT_OK;
        } catch (AgentStatus.ShapeException e) {
            err.println("error: " + statusUri(url) + " answered, but not with the agent's status document: "
                    + e.getMessage());
            return EXIT_FAILED;
        } catch (Failure e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILED;
        } catch (JsonProcessingException e) {
            err.println("error: cannot print the document: " + e.getOriginalMessage());
            return EXIT_FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** {@code --url} names the management server; a URL that already ends in the status path is taken as it is. */
    static URI statusUri(URI base) {
        String s = base.toString();
        if (s.endsWith(PATH)) {
            return base;
        }
        return URI.create(s.replaceAll("/+$", "") + PATH);
    }

    private static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private String fetch(URI uri) throws Failure {
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            throw new Failure("--url " + url + ": expected http://HOST:PORT, e.g. http://localhost:9876");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure("no answer from " + uri + " (" + describe(e) + "): is the agent running, and is "
                    + port(uri) + " its management port (--management-port)? From outside the cluster, forward it "
                    + "first: kubectl port-forward pod/<agent-pod> " + port(uri));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while reading " + uri);
        }
        if (response.statusCode() != 200) {
            throw new Failure(uri + " answered HTTP " + response.statusCode() + ": is " + port(uri) + " the agent's "
                    + "management port, and is the agent a version that serves " + PATH + "?");
        }
        return response.body();
    }

    private static JsonNode parseJson(String body, URI uri) throws Failure {
        try {
            return new ObjectMapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new Failure(uri + " answered, but not with JSON: " + e.getOriginalMessage());
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String describe(Exception e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Errors do not fit a table cell: each goes to stderr under the table, naming its ScaledObject; then the objects
     * of the trigger files that did not load, each error on a line of its own.
     */
    static void printErrors(AgentStatus status, PrintWriter err) {
        for (AgentStatus.ObjectStatus o : status.scaledObjects()) {
            String id = o.namespace() + "/" + o.name();
            if (o.lastError() != null) {
                err.println(id + ": last error: " + o.lastError());
            }
            for (int i = 0; i < o.triggers().size(); i++) {
                String error = o.triggers().get(i).error();
                if (error != null) {
                    err.println(id + " trigger " + i + ": " + error);
                }
            }
        }
        if (!status.failedToLoad().isEmpty()) {
            err.println(status.failedToLoad().size() + " object(s) of the trigger files did not load:");
            for (AgentStatus.FailedObject f : status.failedToLoad()) {
                f.lines().forEach(line -> err.println("  " + line));
                if (f.lastGoodRunning()) {
                    err.println("  (its last good version keeps running)");
                }
            }
        }
    }
}
