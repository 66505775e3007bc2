package io.ddbstreamscaler.cli;

import io.ddbstreamscaler.Causes;
import io.ddbstreamscaler.camel.AgentAssembly;
import io.ddbstreamscaler.camel.AgentOptions;
import io.ddbstreamscaler.camel.RouteFolders;
import io.ddbstreamscaler.camel.ScalerAgent;
import io.ddbstreamscaler.election.ElectionTiming;
import io.ddbstreamscaler.external.ExternalScalerOptions;
import io.ddbstreamscaler.external.ExternalScalerServer;
import io.ddbstreamscaler.observe.ManagementServer;
import io.ddbstreamscaler.scale.ScaleException;
import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.stream.AwsShardCounter;
import io.ddbstreamscaler.stream.ProbeOptions;
import io.ddbstreamscaler.trigger.FailedToLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run}: the agent. Polls every ScaledObject of the trigger files on its pollingInterval, decides, and writes the
 * scale subresource; the default command.
 *
 * <p>Exit codes of {@code --once}: 0 every ScaledObject polled and acted without error; 1 a probe, a {@code /scale}
 * read or a write failed; 2 the configuration: an object of the trigger files did not load (the others were still
 * polled), there was nothing to poll, no routes folder, or the management port is taken (said before any poll). The
 * long-running agent exits 2 for the last two only: it runs the objects that load and lists the others in
 * {@code /observe/status}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the agent: poll DynamoDB Streams, decide, scale (the default command).")
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.agent");

    @Option(names = {"-f", "--filename"}, paramLabel = "PATH",
            description = "Trigger files or folders (ScaledObject, TriggerAuthentication, Secret YAML). "
                    + "Default: $SCALER_CONFIG, else /etc/ddbstream-scaler.")
    List<Path> paths;

    @Option(names = "--routes", paramLabel = "DIR",
            description = "The YAML DSL routes folder. Default: $SCALER_ROUTES, else /opt/ddbstream-scaler/routes, else ./routes.")
    Path routes;

    static final int EXIT_OK = 0;
    static final int EXIT_POLL_FAILED = 1;
    static final int EXIT_CONFIG = 2;

    @Option(names = "--once", description = "Poll every ScaledObject once, act, and exit: 0 when all succeeded, 1 when a"
            + " poll or write failed, 2 when an object of the trigger files did not load or there was nothing to poll."
            + " Serves no management port unless --management-port is given.")
    boolean once;

    @Option(names = "--strict", description = "Treat every warning about the trigger files (an unknown metadata key, a"
            + " deprecated provider, ...) as an error: that object does not load. Default: $SCALER_STRICT, else false.")
    boolean strict;

    @Option(names = "--dry-run", description = "Decide and log, never write to Kubernetes (also SCALER_DRY_RUN=true).")
    boolean dryRun;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig file. Default: in-cluster service account, else $KUBECONFIG, else ~/.kube/config.")
    Path kubeconfig;

    @Option(names = "--leader-election", paramLabel = "MODE",
            description = "auto (on when POD_NAME and POD_NAMESPACE are set, off with --once), true or false. "
                    + "Default: $SCALER_LEADER_ELECTION, else auto.")
    String leaderElection;

    @Option(names = "--management-port", paramLabel = "PORT",
            description = "Port of /observe/metrics, /observe/health and /observe/status; -1 turns the server off. "
                    + "Default: $SCALER_MANAGEMENT_PORT, else 9876 (none with --once).")
    Integer managementPort;

    @Option(names = "--grpc-port", paramLabel = "PORT",
            description = "Serve KEDA's external scaler API (externalscaler.ExternalScaler) on this port; off unless set. "
                    + "Default: $SCALER_GRPC_PORT.")
    Integer grpcPort;

    @Option(names = "--grpc-freshness", paramLabel = "SECONDS",
            description = "How old a cached reading may be before a gRPC request counts the shards again. "
                    + "Default: $SCALER_GRPC_FRESHNESS, else 30.")
    Integer grpcFreshness;

    @Option(names = "--grpc-tls-cert", paramLabel = "FILE", description = "PEM server certificate: serve gRPC over TLS. Default: $SCALER_GRPC_TLS_CERT.")
    Path grpcTlsCert;

    @Option(names = "--grpc-tls-key", paramLabel = "FILE", description = "PEM private key of --grpc-tls-cert. Default: $SCALER_GRPC_TLS_KEY.")
    Path grpcTlsKey;

    @Option(names = "--grpc-client-ca", paramLabel = "FILE",
            description = "PEM CA: require client certificates signed by it (KEDA's tlsClientCert). Default: $SCALER_GRPC_CLIENT_CA.")
    Path grpcClientCa;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AgentOptions options = options(System::getenv);
        ExternalScalerOptions grpc = grpcOptions(System::getenv);
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(options.routesFolder())) {
            err.println("error: " + noRoutes(options.routesFolder()));
            err.flush();
            return EXIT_CONFIG;
        }
        // One counter for the agent's ScaledObjects and KEDA's requests: one AWS call budget per account and region.
        AwsShardCounter counter = new AwsShardCounter(ProbeOptions.defaults());
        try (ScalerAgent agent = AgentAssembly.create(options, kubeconfig, counter, Clock.systemUTC())) {
            try {
                agent.start();
            } catch (ManagementServer.PortUnavailable e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return EXIT_CONFIG;
            } catch (RuntimeException e) {
                // The first load of the trigger files reads their Secrets from the cluster; a Secret the API server
                // refuses (403) or cannot serve stops the start. Its message names the Role rule it needs: one line,
                // not a stack trace, and exit 1 as a failed read of the cluster (docs/cluster-tests.md).
                ScaleException cluster = Causes.find(e, ScaleException.class).orElseThrow(() -> e);
                err.println("error: " + cluster.getMessage());
                err.flush();
                return EXIT_POLL_FAILED;
            }
            ExternalScalerServer server = grpc == null ? null
                    : ExternalScalerServer.start(grpc, counter, Clock.systemUTC(), agent.registry());
            if (server != null) {
                LOG.info("KEDA external scaler API on port {} ({})", server.port(), grpc.tls() ? "TLS" : "plaintext");
            }
            try {
                if (once) {
                    return onceExitCode(agent.awaitOnePoll(Duration.ofMinutes(2)), agent, options, err);
                }
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    LOG.info("stopping: SIGTERM or Ctrl-C");
                    if (server != null) {
                        server.close();
                    }
                    agent.close();
                    stopped.countDown();
                }, "shutdown"));
                stopped.await();
                return 0;
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    /** Configuration (2) wins over a failed poll (1): a CronJob must not read "some polls failed" as "all loaded". */
    static int onceExitCode(boolean polledWithoutError, ScalerAgent agent, AgentOptions options, PrintWriter err) {
        List<FailedToLoad> failed = agent.failedToLoad();
        if (!failed.isEmpty()) {
            err.println("error: " + failed.size() + " object(s) of the trigger files did not load (each error is"
                    + " logged above); the " + agent.scaledObjects() + " that loaded were polled: exit " + EXIT_CONFIG);
            err.flush();
            return EXIT_CONFIG;
        }
        if (agent.scaledObjects() == 0) {
            err.println("error: nothing to poll: no ScaledObject with an aws-dynamodb-stream(s) trigger in "
                    + options.configPaths() + " (see the lines above for what was skipped)");
            err.flush();
            return EXIT_CONFIG;
        }
        return polledWithoutError ? EXIT_OK : EXIT_POLL_FAILED;
    }

    /** One line that says where the routes were looked for and how to name them. */
    static String noRoutes(Path folder) {
        return "no routes folder: " + folder + " does not exist; run from the repository's root (its routes/ is"
                + " found from there or beside target/), or name the folder with --routes DIR or SCALER_ROUTES=DIR";
    }

    /** The gRPC server's settings from the options and the environment; null when it is off. */
    ExternalScalerOptions grpcOptions(java.util.function.Function<String, String> env) {
        Integer port = grpcPort != null ? grpcPort : parsePort(blankToNull(env.apply("SCALER_GRPC_PORT")));
        if (port == null) {
            return null;
        }
        Integer freshness = grpcFreshness != null ? grpcFreshness
                : Optional.ofNullable(blankToNull(env.apply("SCALER_GRPC_FRESHNESS"))).map(v -> parseInt("SCALER_GRPC_FRESHNESS", v)).orElse(null);
        try {
            return new ExternalScalerOptions(port, freshness == null ? null : Duration.ofSeconds(freshness),
                    pathOr(grpcTlsCert, env.apply("SCALER_GRPC_TLS_CERT")), pathOr(grpcTlsKey, env.apply("SCALER_GRPC_TLS_KEY")),
                    pathOr(grpcClientCa, env.apply("SCALER_GRPC_CLIENT_CA")));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
    }

    private Integer parsePort(String value) {
        return value == null ? null : parseInt("SCALER_GRPC_PORT", value);
    }

    private int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    name + " must be a whole number, got '" + value + "'");
        }
    }

    private static Path pathOr(Path option, String env) {
        return option != null ? option : blankToNull(env) == null ? null : Path.of(env.trim());
    }

    AgentOptions options(java.util.function.Function<String, String> env) {
        List<Path> config = paths != null && !paths.isEmpty() ? paths
                : List.of(Path.of(orDefault(env.apply("SCALER_CONFIG"), "/etc/ddbstream-scaler")));
        String podName = blankToNull(env.apply("POD_NAME"));
        String podNamespace = blankToNull(env.apply("POD_NAMESPACE"));
        String mode = orDefault(leaderElection, orDefault(env.apply("SCALER_LEADER_ELECTION"), "auto")).toLowerCase(Locale.ROOT);
        boolean inCluster = podName != null && podNamespace != null;
        boolean election = switch (mode) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> inCluster && !once;
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--leader-election / SCALER_LEADER_ELECTION must be auto, true or false, got '" + mode + "'");
        };
        if (election && !inCluster) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "leader election needs POD_NAME and POD_NAMESPACE (Downward API): the Lease holder is a pod");
        }
        boolean dry = dryRun || "true".equalsIgnoreCase(env.apply("SCALER_DRY_RUN"));
        boolean strictLoad = strict || "true".equalsIgnoreCase(env.apply("SCALER_STRICT"));
        // --once serves no port unless asked: a one-shot run (a CronJob, a CI step) has nobody to scrape it, and a
        // taken 9876 must not stop it.
        String portSetting = managementPort != null ? managementPort.toString()
                : orDefault(env.apply("SCALER_MANAGEMENT_PORT"), once ? "-1" : "9876");
        int port;
        try {
            port = Integer.parseInt(portSetting);
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "SCALER_MANAGEMENT_PORT must be a whole number, got '" + portSetting + "'");
        }
        return new AgentOptions(config, RouteFolders.locate(routes, env, ThisJar.path().orElse(null)), once, dry,
                election, podName, podNamespace, port, Duration.ofMillis(500), ElectionTiming.DEFAULT.leaseDuration(), strictLoad);
    }

    /** The routes folder: the option, then SCALER_ROUTES, then the image's folder, then ./routes. */
    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
