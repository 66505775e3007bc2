package io.ddbstreamscaler.cli;

import io.ddbstreamscaler.camel.AgentOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How {@code run}'s options and the environment become the agent's options. */
class RunCommandTest {

    static AgentOptions options(Map<String, String> env, String... args) {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command.options(env::get);
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    static Stream<Arguments> leaderElection() {
        return Stream.of(
                Arguments.of("outside a cluster: off", env(), new String[] {}, false),
                Arguments.of("in a pod (Downward API): on", env("POD_NAME", "p", "POD_NAMESPACE", "ns"), new String[] {}, true),
                Arguments.of("in a pod with --once: off", env("POD_NAME", "p", "POD_NAMESPACE", "ns"), new String[] {"--once"}, false),
                Arguments.of("in a pod, switched off by env", env("POD_NAME", "p", "POD_NAMESPACE", "ns", "SCALER_LEADER_ELECTION", "false"), new String[] {}, false),
                Arguments.of("--once, switched on", env("POD_NAME", "p", "POD_NAMESPACE", "ns"), new String[] {"--once", "--leader-election", "true"}, true),
                Arguments.of("option beats env", env("POD_NAME", "p", "POD_NAMESPACE", "ns", "SCALER_LEADER_ELECTION", "true"), new String[] {"--leader-election", "false"}, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaderElection")
    void leaderElectionFollowsTheDownwardApi(String name, Map<String, String> env, String[] args, boolean expected) {
        assertEquals(expected, options(env, args).leaderElection());
    }

    @Test
    void electionOnOutsideAClusterIsAnError() {
        var error = assertThrows(CommandLine.ParameterException.class,
                () -> options(env("SCALER_LEADER_ELECTION", "true")));
        assertEquals(true, error.getMessage().contains("POD_NAME and POD_NAMESPACE"));
        assertThrows(CommandLine.ParameterException.class, () -> options(env("SCALER_LEADER_ELECTION", "maybe")));
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("defaults", env(), new String[] {}, List.of(Path.of("/etc/ddbstream-scaler")), 9876, false),
                Arguments.of("SCALER_CONFIG", env("SCALER_CONFIG", "/cfg"), new String[] {}, List.of(Path.of("/cfg")), 9876, false),
                Arguments.of("-f beats SCALER_CONFIG", env("SCALER_CONFIG", "/cfg"), new String[] {"-f", "a.yaml", "-f", "b"},
                        List.of(Path.of("a.yaml"), Path.of("b")), 9876, false),
                Arguments.of("port and dry run from env", env("SCALER_MANAGEMENT_PORT", "9000", "SCALER_DRY_RUN", "true"),
                        new String[] {}, List.of(Path.of("/etc/ddbstream-scaler")), 9000, true),
                Arguments.of("options beat env", env("SCALER_MANAGEMENT_PORT", "9000"),
                        new String[] {"--management-port", "-1", "--dry-run"}, List.of(Path.of("/etc/ddbstream-scaler")), -1, true),
                Arguments.of("--once serves no port unless asked", env(), new String[] {"--once"},
                        List.of(Path.of("/etc/ddbstream-scaler")), -1, false),
                Arguments.of("--once with --management-port serves it", env(), new String[] {"--once", "--management-port", "9000"},
                        List.of(Path.of("/etc/ddbstream-scaler")), 9000, false),
                Arguments.of("--once with SCALER_MANAGEMENT_PORT serves it", env("SCALER_MANAGEMENT_PORT", "9001"),
                        new String[] {"--once"}, List.of(Path.of("/etc/ddbstream-scaler")), 9001, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void configPortAndDryRun(String name, Map<String, String> env, String[] args, List<Path> config, int port, boolean dryRun) {
        AgentOptions options = options(env, args);
        assertEquals(config, options.configPaths());
        assertEquals(port, options.managementPort());
        assertEquals(dryRun, options.dryRun());
    }

    static Stream<Arguments> defaultCommand() {
        return Stream.of(
                Arguments.of("no arguments run the agent", new String[] {}, new String[] {"run"}),
                Arguments.of("run's options alone run the agent", new String[] {"--once", "-f", "x"}, new String[] {"run", "--once", "-f", "x"}),
                Arguments.of("a command word is kept", new String[] {"validate", "-f", "x"}, new String[] {"validate", "-f", "x"}),
                Arguments.of("--help stays top level", new String[] {"--help"}, new String[] {"--help"}),
                Arguments.of("--version stays top level", new String[] {"-V"}, new String[] {"-V"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultCommand")
    void runIsTheDefaultCommand(String name, String[] args, String[] expected) {
        assertArrayEquals(expected, ScalerCli.withDefaultCommand(args));
    }
}
