package io.ddbstreamscaler.scale;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The current count read from a Scale as the API server serializes it. */
class Fabric8ScaleTargetTest {

    static Stream<Arguments> scales() {
        return Stream.of(
                // A real kube-apiserver's answer for a Deployment at zero: spec.replicas is omitempty.
                Arguments.of("scaled to zero: spec is empty", "{\"spec\":{},\"status\":{\"replicas\":0}}", 0),
                Arguments.of("no spec at all", "{\"status\":{\"replicas\":0}}", 0),
                Arguments.of("three, while the Pods are still one", "{\"spec\":{\"replicas\":3},\"status\":{\"replicas\":1}}", 3),
                Arguments.of("zero written out", "{\"spec\":{\"replicas\":0}}", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scales")
    void currentReplicasAreSpecReplicasAndAnAbsentValueIsZero(String row, String json, int expected) {
        Scale scale = new KubernetesSerialization().unmarshal("{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\","
                + json.substring(1), Scale.class);
        assertEquals(expected, Fabric8ScaleTarget.replicas(scale));
    }
}
