package io.ddbstreamscaler.external;

import io.ddbstreamscaler.external.proto.IsActiveResponse;
import io.ddbstreamscaler.trigger.TriggerConfig;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@code StreamIsActive} call: the current state at once, then a message each time it changes. It looks again
 * when the reading it last saw goes stale, so a change on AWS reaches KEDA within one freshness interval (plus the
 * count's own latency), and the readings it takes are the shared cached ones: a stream costs no extra AWS calls when
 * KEDA polls the same table anyway.
 * <p>
 * An AWS failure ends the stream with UNAVAILABLE rather than a guessed state; KEDA opens it again (after 2 s, then
 * backing off to a minute: {@code external_scaler.go runStreamIsActive}).
 */
final class ActivityStream {

    /** Lower bound between two looks, so a reading that is already stale cannot spin the scheduler. */
    private static final Duration MIN_DELAY = Duration.ofMillis(10);

    private final TriggerConfig trigger;
    private final ReadingCache cache;
    private final ScheduledExecutorService scheduler;
    private final ServerCallStreamObserver<IsActiveResponse> reply;
    private final Consumer<Status.Code> outcome;
    private final GrpcMetrics metrics;

    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> next;
    private Boolean lastSent; // touched by one look at a time: each look schedules the next only when it is done

    ActivityStream(TriggerConfig trigger, ReadingCache cache, ScheduledExecutorService scheduler,
                   ServerCallStreamObserver<IsActiveResponse> reply, Consumer<Status.Code> outcome,
                   GrpcMetrics metrics) {
        this.trigger = trigger;
        this.cache = cache;
        this.scheduler = scheduler;
        this.reply = reply;
        this.outcome = outcome;
        this.metrics = metrics;
    }

    void start() {
        reply.setOnCancelHandler(() -> {
            cancelled = true;
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        });
        look();
    }

    private void look() {
        if (cancelled) {
            return;
        }
        ReadingCache.Answer answer = cache.get(trigger);
        metrics.cache(answer.hit());
        answer.reading().whenComplete((reading, failure) -> {
            if (cancelled) {
                return;
            }
            if (failure != null) {
                var status = Replies.toStatus(failure);
                outcome.accept(status.getStatus().getCode());
                reply.onError(status);
                return;
            }
            boolean active = ExternalScalerService.isActive(trigger, ExternalScalerService.metricValue(trigger, reading));
            if (lastSent == null || lastSent != active) {
                if (lastSent == null) {
                    outcome.accept(Status.Code.OK);
                }
                lastSent = active;
                reply.onNext(IsActiveResponse.newBuilder().setResult(active).build());
            }
            Duration untilStale = Duration.between(cache.clock().instant(), reading.takenAt().plus(cache.freshness()));
            Duration delay = untilStale.compareTo(MIN_DELAY) < 0 ? MIN_DELAY
                    : untilStale.compareTo(cache.freshness()) > 0 ? cache.freshness() : untilStale;
            try {
                next = scheduler.schedule(this::look, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                reply.onError(Status.UNAVAILABLE.withDescription("the scaler is shutting down").asRuntimeException());
            }
        });
    }
}
