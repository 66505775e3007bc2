package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The agent is started as the image starts it, and never with the developer's AWS or kube configuration. */
class ExternalAgentTest {

    static final ExternalAgent.Launch LAUNCH = new ExternalAgent.Launch("/jdk/bin/java", Path.of("/b/ddbstream-scaler.jar"),
            ShippedJvm.JAVA_TOOL_OPTIONS, List.of("-XX:NativeMemoryTracking=summary"), Path.of("/w/triggers"),
            Path.of("/r"), Path.of("/w/kubeconfig"), 41000, Path.of("/w"));

    static final Map<String, String> INHERITED = Map.of("PATH", "/usr/bin", "AWS_ACCESS_KEY_ID", "AKIAREAL",
            "AWS_PROFILE", "prod", "KUBECONFIG", "/home/me/.kube/config", "SCALER_DRY_RUN", "true",
            "JAVA_TOOL_OPTIONS", "-Xmx4g", "HOME", "/home/me");

    @org.junit.jupiter.api.Test
    void commandIsTheImagesEntrypointRunningTheTriggersAgainstTheSimulators() {
        assertEquals(List.of("/jdk/bin/java", "-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/./urandom",
                "-XX:NativeMemoryTracking=summary", "-jar", "/b/ddbstream-scaler.jar", "run", "-f", "/w/triggers",
                "--routes", "/r", "--kubeconfig", "/w/kubeconfig", "--management-port", "41000",
                "--leader-election", "false"), LAUNCH.command());
    }

    @org.junit.jupiter.api.Test
    void asAPodLeaderElectionIsOnWithThePodsIdentity() {
        ExternalAgent.Launch pod = LAUNCH.asPod("agent-b", "bench", 41001, Path.of("/w/b"));
        List<String> cmd = pod.command();
        assertEquals(List.of("--management-port", "41001", "--leader-election", "true"), cmd.subList(cmd.size() - 4, cmd.size()));
        Map<String, String> env = pod.environment(Map.of("POD_NAME", "mine"));
        assertEquals("agent-b", env.get("POD_NAME"));
        assertEquals("bench", env.get("POD_NAMESPACE"));
        assertEquals(null, LAUNCH.environment(Map.of("POD_NAME", "mine")).get("POD_NAME"), "no pod identity without election");
    }

    static Stream<Arguments> environment() {
        return Stream.of(
                // name, variable, value in the agent's environment (null: absent)
                Arguments.of("the image's JVM flags replace the developer's", "JAVA_TOOL_OPTIONS", ShippedJvm.JAVA_TOOL_OPTIONS),
                Arguments.of("no developer AWS key", "AWS_ACCESS_KEY_ID", null),
                Arguments.of("no developer AWS profile", "AWS_PROFILE", null),
                Arguments.of("no AWS config file", "AWS_CONFIG_FILE", "/w/no-aws-config"),
                Arguments.of("no instance metadata", "AWS_EC2_METADATA_DISABLED", "true"),
                Arguments.of("no developer kubeconfig", "KUBECONFIG", null),
                Arguments.of("no developer agent settings", "SCALER_DRY_RUN", null),
                Arguments.of("text logs, for the decision line", "SCALER_LOG_FORMAT", "text"),
                Arguments.of("the rest is kept", "PATH", "/usr/bin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environment")
    void environmentIsTheImagesAndNothingOfTheDevelopers(String name, String variable, String value) {
        assertEquals(value, LAUNCH.environment(INHERITED).get(variable));
    }

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("a decision", "17:20:27.744 INFO  decision - ScaledObject bench/so-0001 …", true, false),
                Arguments.of("agent started", "17:20:26.159 INFO  agent - agent started: 1 ScaledObject(s), routes …", false, true),
                Arguments.of("a ScaledObject loaded", "17:20:26.150 INFO  agent - ScaledObject bench/so-0001 loaded: …", false, false),
                Arguments.of("a scale write", "17:20:36.616 INFO  scale - scaled Deployment bench/consumer-0001 …", false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void recognisesTheTimedLogLines(String name, String line, boolean decision, boolean started) {
        assertEquals(List.of(decision, started), List.of(ExternalAgent.DECISION_LINE.matcher(line).find(),
                ExternalAgent.STARTED_LINE.matcher(line).find()));
    }
}
