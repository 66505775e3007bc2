package io.ddbstreamscaler.external;

import io.ddbstreamscaler.external.proto.ExternalScalerGrpc;
import io.ddbstreamscaler.external.proto.GetMetricSpecResponse;
import io.ddbstreamscaler.external.proto.GetMetricsRequest;
import io.ddbstreamscaler.external.proto.GetMetricsResponse;
import io.ddbstreamscaler.external.proto.IsActiveResponse;
import io.ddbstreamscaler.external.proto.MetricSpec;
import io.ddbstreamscaler.external.proto.MetricValue;
import io.ddbstreamscaler.external.proto.ScaledObjectRef;
import io.ddbstreamscaler.policy.ReplicaPolicy;
import io.ddbstreamscaler.trigger.ExternalTriggerMetadata;
import io.ddbstreamscaler.trigger.TriggerConfig;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * KEDA's {@code externalscaler.ExternalScaler}, answered from {@link ReadingCache}. Handlers never block: a request
 * parses its metadata, asks the cache and replies when the reading is there, from whichever thread completes it.
 * KEDA's poll is GetMetrics then IsActive for the same ScaledObject, so both read the same cached count.
 */
final class ExternalScalerService extends ExternalScalerGrpc.ExternalScalerImplBase {

    private final ReadingCache cache;
    private final GrpcMetrics metrics;
    private final ScheduledExecutorService scheduler;

    ExternalScalerService(ReadingCache cache, GrpcMetrics metrics, ScheduledExecutorService scheduler) {
        this.cache = cache;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    /** The metric name KEDA expects back: ours without the {@code s<i>-} prefix, which KEDA adds itself. */
    static String externalMetricName(TriggerConfig trigger) {
        return trigger.metricName().replaceFirst("^s\\d+-", "");
    }

    static boolean isActive(TriggerConfig trigger, long value) {
        return ReplicaPolicy.isActive(value, trigger.activationShardCount());
    }

    static long metricValue(TriggerConfig trigger, ReadingCache.Reading reading) {
        return reading.shards().metricValue(trigger.countClosedShards());
    }

    @Override
    public void getMetricSpec(ScaledObjectRef ref, StreamObserver<GetMetricSpecResponse> reply) {
        TriggerConfig trigger = parse("GetMetricSpec", ref, reply);
        if (trigger != null) {
            finish("GetMetricSpec", reply, specOf(trigger));
        }
    }

    @Override
    public void getMetrics(GetMetricsRequest request, StreamObserver<GetMetricsResponse> reply) {
        TriggerConfig trigger = parse("GetMetrics", request.getScaledObjectRef(), reply);
        if (trigger == null) {
            return;
        }
        // KEDA labels the value with the name it asked for; an empty name gets ours.
        String name = request.getMetricName().isEmpty() ? externalMetricName(trigger) : request.getMetricName();
        answer("GetMetrics", trigger, reply, reading -> {
            long value = metricValue(trigger, reading);
            return GetMetricsResponse.newBuilder().addMetricValues(MetricValue.newBuilder().setMetricName(name)
                    .setMetricValue(value).setMetricValueFloat(value)).build();
        });
    }

    @Override
    public void isActive(ScaledObjectRef ref, StreamObserver<IsActiveResponse> reply) {
        TriggerConfig trigger = parse("IsActive", ref, reply);
        if (trigger != null) {
            answer("IsActive", trigger, reply, reading -> IsActiveResponse.newBuilder()
                    .setResult(isActive(trigger, metricValue(trigger, reading))).build());
        }
    }

    @Override
    public void streamIsActive(ScaledObjectRef ref, StreamObserver<IsActiveResponse> reply) {
        TriggerConfig trigger = parse("StreamIsActive", ref, reply);
        if (trigger != null) {
            new ActivityStream(trigger, cache, scheduler, (ServerCallStreamObserver<IsActiveResponse>) reply,
                    code -> metrics.request("StreamIsActive", code), metrics).start();
        }
    }

    /** The spec does not change while the metadata does not: the first message is the only one (rule 1 of KEDA). */
    @Override
    public void streamMetricSpec(ScaledObjectRef ref, StreamObserver<GetMetricSpecResponse> reply) {
        TriggerConfig trigger = parse("StreamMetricSpec", ref, reply);
        if (trigger != null) {
            metrics.request("StreamMetricSpec", Status.Code.OK);
            reply.onNext(specOf(trigger));
            // Left open: KEDA treats a closed stream as a reason to reconnect, and an open one as "nothing new".
        }
    }

    private static GetMetricSpecResponse specOf(TriggerConfig trigger) {
        return GetMetricSpecResponse.newBuilder().addMetricSpecs(MetricSpec.newBuilder()
                .setMetricName(externalMetricName(trigger)).setTargetSize(trigger.shardCount())
                .setTargetSizeFloat(trigger.shardCount())).build();
    }

    private <T> TriggerConfig parse(String method, ScaledObjectRef ref, StreamObserver<T> reply) {
        try {
            return ExternalTriggerMetadata.fromExternalMetadata(ref.getScalerMetadataMap(), ref.getNamespace(),
                    ref.getName());
        } catch (ExternalTriggerMetadata.InvalidMetadataException e) {
            fail(method, reply, e);
            return null;
        }
    }

    private <T> void answer(String method, TriggerConfig trigger, StreamObserver<T> reply,
                            Function<ReadingCache.Reading, T> response) {
        ReadingCache.Answer answer = cache.get(trigger);
        metrics.cache(answer.hit());
        answer.reading().whenComplete((reading, failure) -> {
            if (failure != null) {
                fail(method, reply, failure);
            } else {
                finish(method, reply, response.apply(reading));
            }
        });
    }

    private <T> void finish(String method, StreamObserver<T> reply, T response) {
        metrics.request(method, Status.Code.OK);
        reply.onNext(response);
        reply.onCompleted();
    }

    private <T> void fail(String method, StreamObserver<T> reply, Throwable failure) {
        var status = Replies.toStatus(failure);
        metrics.request(method, status.getStatus().getCode());
        reply.onError(status);
    }
}
