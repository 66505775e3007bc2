package io.ddbstreamscaler.external;

import io.ddbstreamscaler.simulator.ManualClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standard health service beside the external scaler API, called with grpc-java's own health client
 * (io.grpc:grpc-services, generated from grpc's health.proto rather than the agent's copy), as Kubernetes' {@code grpc:}
 * probe calls it: Check with the probe's {@code service}, "" by default.
 */
class GrpcHealthIT {

    ExternalScalerFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ExternalScalerFixture(Duration.ofSeconds(30), new ManualClock());
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    static Stream<Arguments> servedServices() {
        return Stream.of(
                Arguments.of("the server as a whole (a probe without service)", ""),
                Arguments.of("the external scaler API", "externalscaler.ExternalScaler"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servedServices")
    void checkIsServingAndCostsNoAwsCall(String row, String service) {
        HealthCheckResponse r = health().check(request(service));

        assertEquals(ServingStatus.SERVING, r.getStatus());
        assertEquals(List.of(), f.sim.requests(), "a probe never reaches AWS");
    }

    @Test
    void checkOfAServiceTheServerDoesNotKnowIsNotFound() {
        var e = assertThrows(StatusRuntimeException.class, () -> health().check(request("grpc.reflection.v1.ServerReflection")));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("grpc.reflection.v1.ServerReflection"), e.getMessage());
    }

    @Test
    void watchSendsServingAtOnceThenNotServingWhenTheServerCloses() {
        List<ServingStatus> seen = new CopyOnWriteArrayList<>();
        List<Boolean> completed = new CopyOnWriteArrayList<>();
        HealthGrpc.newStub(f.channel).watch(request(""), observer(seen, completed));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);

        f.server.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> !completed.isEmpty());
        assertEquals(List.of(ServingStatus.SERVING, ServingStatus.NOT_SERVING), seen);
        assertEquals(List.of(true), completed, "the call ends normally after NOT_SERVING");
    }

    @Test
    void watchOfAServiceTheServerDoesNotKnowSaysServiceUnknown() {
        List<ServingStatus> seen = new CopyOnWriteArrayList<>();
        HealthGrpc.newStub(f.channel).watch(request("orders.Orders"), observer(seen, new CopyOnWriteArrayList<>()));

        await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
        assertEquals(List.of(ServingStatus.SERVICE_UNKNOWN), seen);
    }

    private HealthGrpc.HealthBlockingStub health() {
        return HealthGrpc.newBlockingStub(f.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static HealthCheckRequest request(String service) {
        return HealthCheckRequest.newBuilder().setService(service).build();
    }

    /** Records each status, and true when the call completed normally, false when it failed. */
    private static StreamObserver<HealthCheckResponse> observer(List<ServingStatus> seen, List<Boolean> completed) {
        return new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse r) {
                seen.add(r.getStatus());
            }

            @Override
            public void onError(Throwable t) {
                completed.add(false);
            }

            @Override
            public void onCompleted() {
                completed.add(true);
            }
        };
    }
}
