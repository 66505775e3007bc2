package io.ddbstreamscaler.ship;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The agent's runtime jars, as {@code package} leaves them in target/lib (what the image copies): none of the tools'
 * or the tests' libraries, no Vert.x, and none of the libraries no code of the agent uses. That every declared
 * dependency is used, and every used one declared, is maven-dependency-plugin's analyze-only (agent/pom.xml).
 */
class RuntimeJarsIT {

    static final Path LIB = Path.of("target", "lib");
    static List<String> jars;

    @BeforeAll
    static void list() throws IOException {
        try (Stream<Path> files = Files.list(LIB)) {
            jars = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    static Stream<Arguments> neverShipped() {
        return Stream.of(
                // what, the jar names it matches
                arguments("the Kubernetes mock server and its HTTP stack", "^(kubernetes-server-mock|mockwebserver|okhttp|okio)"),
                arguments("Vert.x (fabric8's default HTTP client, camel-main's management server)", "vertx"),
                arguments("the simulators and the tools", "^ddbstream-scaler-(simulator|tools)"),
                arguments("test libraries", "^(junit|opentest4j|awaitility|camel-test|hamcrest|assertj)"),
                arguments("camel-kubernetes and its cluster service: fabric8 is called directly", "^camel-(kubernetes|cloud|cluster)"),
                arguments("the OpenShift client and models", "^openshift"),
                arguments("the AWS SDK's Apache client: every client is built on URLConnection", "^(apache-client|httpclient|httpcore)-"),
                arguments("the AWS SDK's async Netty client: no async client is built", "^netty-nio-client"),
                arguments("the AWS SDK's IAM client (the moto suite's)", "^iam-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("neverShipped")
    void neverShipped(String what, String pattern) {
        Pattern p = Pattern.compile(pattern);
        assertEquals(List.of(), jars.stream().filter(j -> p.matcher(j).find()).toList(),
                what + " (a jar left from an earlier build? package copies into target/lib without emptying it)");
    }

    @Test
    void theAgentsOwnLibrariesAreThere() {
        for (String needed : List.of("camel-main-", "camel-yaml-dsl-", "kubernetes-client-", "kubernetes-httpclient-jdk-",
                "dynamodb-", "sts-", "url-connection-client-", "grpc-netty-", "logback-classic-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + " in " + jars);
        }
    }
}
