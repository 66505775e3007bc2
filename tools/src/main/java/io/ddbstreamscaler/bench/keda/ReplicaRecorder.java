package io.ddbstreamscaler.bench.keda;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every change of {@code spec.replicas} of the twin Deployments (label {@value #TWIN_LABEL}), as a watch of the API
 * server delivers it: whoever writes the scale subresource (KEDA, the HPA controller, the agent), the Deployment's
 * replicas change, so one recorder sees both twins the same way.
 */
public final class ReplicaRecorder implements AutoCloseable {

    public static final String TWIN_LABEL = "ddbss-twin";

    /** One observed count: when this process saw it. */
    public record Point(Instant at, int replicas) {
    }

    private final Map<String, List<Point>> series = new ConcurrentHashMap<>();
    /** Notified on every recorded change: waiters wake on the change itself rather than poll. */
    private final Object changed = new Object();
    private final SharedIndexInformer<Deployment> informer;

    public ReplicaRecorder(KubernetesClient admin) {
        informer = admin.apps().deployments().inAnyNamespace().withLabel(TWIN_LABEL)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Deployment d) {
                        record(d);
                    }

                    @Override
                    public void onUpdate(Deployment before, Deployment after) {
                        record(after);
                    }

                    @Override
                    public void onDelete(Deployment d, boolean unknownFinalState) {
                        // A case's twins live for the whole run.
                    }
                }, 0);
    }

    private void record(Deployment d) {
        Integer replicas = d.getSpec().getReplicas();
        if (replicas == null) {
            return;
        }
        List<Point> points = series.computeIfAbsent(key(d.getMetadata().getNamespace(), d.getMetadata().getName()),
                k -> new ArrayList<>());
        synchronized (points) {
            if (points.isEmpty() || points.get(points.size() - 1).replicas() != replicas) {
                points.add(new Point(Instant.now(), replicas));
            }
        }
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** Waits until the Deployment's count is {@code replicas}; false when {@code atMost} passed first. */
    public boolean awaitReplicas(String namespace, String name, int replicas, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (changed) {
            while (!current(namespace, name).equals(Optional.of(replicas))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /**
     * Watches the Deployment for {@code during}: the first count other than {@code replicas} it takes meanwhile, or
     * empty when it kept that count all along.
     */
    public Optional<Point> awaitDeparture(String namespace, String name, int replicas, Duration during)
            throws InterruptedException {
        long deadline = System.nanoTime() + during.toNanos();
        synchronized (changed) {
            while (true) {
                List<Point> points = series(namespace, name);
                if (!points.isEmpty() && points.get(points.size() - 1).replicas() != replicas) {
                    return Optional.of(points.get(points.size() - 1));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Every count of one Deployment so far, each change once, in order. */
    public List<Point> series(String namespace, String name) {
        List<Point> points = series.getOrDefault(key(namespace, name), List.of());
        synchronized (points) {
            return List.copyOf(points);
        }
    }

    /** The counts alone: the sequence the conformance suite compares. */
    public List<Integer> sequence(String namespace, String name) {
        return series(namespace, name).stream().map(Point::replicas).toList();
    }

    public Optional<Integer> current(String namespace, String name) {
        List<Point> points = series(namespace, name);
        return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1).replicas());
    }

    /** When the count last changed, or empty before the first sight. */
    public Optional<Instant> lastChange(String namespace, String name) {
        List<Point> points = series(namespace, name);
        return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1).at());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public void close() {
        informer.close();
    }
}
