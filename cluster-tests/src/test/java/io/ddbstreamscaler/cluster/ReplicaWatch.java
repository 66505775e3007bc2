package io.ddbstreamscaler.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Every {@code spec.replicas} a Deployment or StatefulSet had, as the API server's watch reports each change: a value
 * that was written and overwritten between two polls of a test is still seen here, so "never 0" can be asserted.
 */
final class ReplicaWatch implements AutoCloseable {

    private final List<Integer> seen = new CopyOnWriteArrayList<>();
    private final Watch watch;

    ReplicaWatch(KubernetesClient admin, String namespace, String deployment) {
        this(admin, namespace, "deployment", deployment);
    }

    /** @param kind deployment or statefulset */
    ReplicaWatch(KubernetesClient admin, String namespace, String kind, String name) {
        this.watch = kind.equals("statefulset")
                ? admin.apps().statefulSets().inNamespace(namespace).withName(name)
                        .watch(watcher(s -> s.getSpec() == null ? null : s.getSpec().getReplicas()))
                : admin.apps().deployments().inNamespace(namespace).withName(name)
                        .watch(this.<Deployment>watcher(d -> d.getSpec() == null ? null : d.getSpec().getReplicas()));
    }

    private <T> Watcher<T> watcher(Function<T, Integer> replicasOf) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                Integer replicas = replicasOf.apply(object);
                if (replicas != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(replicas))) {
                    seen.add(replicas);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                seen.add(-1);   // a gap: the assertions see it rather than trusting a watch that ended
            }
        };
    }

    /** The distinct successive values, in order (a value repeated by a status update is listed once). */
    List<Integer> values() {
        return new ArrayList<>(seen);
    }

    @Override
    public void close() {
        watch.close();
    }
}
