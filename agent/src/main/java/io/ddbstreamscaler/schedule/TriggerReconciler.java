package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.trigger.ConfigError;
import io.ddbstreamscaler.trigger.FailedToLoad;
import io.ddbstreamscaler.trigger.LoadResult;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.SecretSource;
import io.ddbstreamscaler.trigger.TriggerConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Makes the ScaledObjects that run match the trigger files: loads them, adds the new ones to the store and the
 * schedule, replaces the changed ones (keeping their policy history and their slot's phase), removes the deleted ones.
 * A file with errors keeps the last good version of what it held. Cluster Secrets are read again every
 * {@link #SECRET_REFRESH}, so that rotated keys take effect without a file change.
 */
public final class TriggerReconciler {

    /** Cluster Secrets are read again this often. */
    public static final Duration SECRET_REFRESH = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.agent");

    /** What a reconcile changed, for the rest of the agent (gauges, metrics, the AWS clients). */
    public interface Listener {
        /** A ScaledObject is new, or its configuration changed. */
        void loaded(ScaledObjectConfig config);

        /** A ScaledObject is gone from the trigger files. */
        void removed(ScaledObjectConfig config);

        /** A load found errors (each already logged). */
        void invalid();

        /** After every reconcile: the ScaledObjects that run now, and the objects of the files that did not load. */
        void running(Collection<ScaledObjectConfig> running, List<FailedToLoad> failedToLoad);
    }

    private final List<Path> configPaths;
    private final SecretSource clusterSecrets;
    private final ScaledObjectStore store;
    private final PollSchedule schedule;
    private final Listener listener;
    private final Clock clock;
    private final boolean strict;
    /** The ScaledObjects that run, by id, as last loaded: the last good configuration. */
    private final Map<String, ScaledObjectConfig> running = new HashMap<>();
    private Instant loadedAt = Instant.EPOCH;
    private boolean secretsFromCluster;
    /** The objects of the trigger files that did not load at the last load, with their errors. */
    private volatile List<FailedToLoad> failedToLoad = List.of();

    /** @param strict {@code --strict}: a warning about an object of the trigger files keeps that object from loading */
    public TriggerReconciler(List<Path> configPaths, SecretSource clusterSecrets, ScaledObjectStore store,
                             PollSchedule schedule, Listener listener, Clock clock, boolean strict) {
        this.configPaths = List.copyOf(configPaths);
        this.clusterSecrets = clusterSecrets;
        this.store = store;
        this.schedule = schedule;
        this.listener = listener;
        this.clock = clock;
        this.strict = strict;
    }

    /** Whether a reload is due although no file changed: a Secret was read from the cluster a while ago. */
    public synchronized boolean secretsDue() {
        return secretsFromCluster && !clock.instant().isBefore(loadedAt.plus(SECRET_REFRESH));
    }

    /** The objects of the trigger files that did not load at the last load (empty when all did). */
    public List<FailedToLoad> failedToLoad() {
        return failedToLoad;
    }

    /** ScaledObjects running. */
    public synchronized int size() {
        return running.size();
    }

    /** @param filesChanged the trigger files changed since the last reconcile (or this is the first) */
    public synchronized void reconcile(boolean filesChanged) {
        loadedAt = clock.instant();
        AtomicBoolean askedCluster = new AtomicBoolean();
        SecretSource watched = clusterSecrets == SecretSource.none() ? clusterSecrets : (namespace, name) -> {
            askedCluster.set(true);
            return clusterSecrets.find(namespace, name);
        };
        LoadResult result = new TriggerConfigLoader(watched).strict(strict).load(configPaths);
        secretsFromCluster = askedCluster.get();
        if (filesChanged || !result.errors().isEmpty()) {
            result.warnings().forEach(w -> LOG.warn("{}", w));
        }
        if (filesChanged) {
            result.skipped().forEach(s -> LOG.info("{}", s));
        }
        for (ConfigError error : result.errors()) {
            LOG.error("{}", error.format());
        }
        if (!result.errors().isEmpty()) {
            listener.invalid();
        }
        Map<String, ScaledObjectConfig> loaded = result.scaledObjects().stream()
                .collect(Collectors.toMap(ScaledObjectConfig::id, c -> c, (a, b) -> a));
        removeGone(loaded, result.errors());
        List<ScaledObjectConfig> placed = new ArrayList<>();
        for (ScaledObjectConfig config : loaded.values()) {
            ScaledObjectConfig old = running.get(config.id());
            if (config.equals(old)) {
                continue;
            }
            store.put(config, clock.instant());
            running.put(config.id(), config);
            placed.add(config);
            listener.loaded(config);
            LOG.info("ScaledObject {} {}: {} trigger(s) on {}/{}, polling every {}s", config.id(),
                    old == null ? "loaded" : old.triggers().equals(config.triggers()) || filesChanged ? "reloaded"
                            : "reloaded (its Secret changed)",
                    config.triggers().size(), config.scaleTarget().kind(), config.scaleTarget().name(),
                    config.pollingIntervalSeconds());
        }
        schedule.place(placed);
        failedToLoad = FailedToLoad.of(result.errors(), running.keySet());
        listener.running(List.copyOf(running.values()), failedToLoad);
    }

    /** A file with errors keeps the last good version of what it held: a broken edit must not remove a ScaledObject. */
    private void removeGone(Map<String, ScaledObjectConfig> loaded, List<ConfigError> errors) {
        Set<Path> brokenFiles = errors.stream().map(ConfigError::file).collect(Collectors.toSet());
        Set<String> errorObjects = errors.stream().map(ConfigError::object).collect(Collectors.toSet());
        for (String id : new HashSet<>(running.keySet())) {
            ScaledObjectConfig old = running.get(id);
            boolean keep = brokenFiles.contains(old.sourceFile()) || errorObjects.contains("ScaledObject " + id);
            if (!loaded.containsKey(id) && !keep) {
                schedule.remove(id);
                running.remove(id);
                store.remove(id);
                listener.removed(old);
                LOG.info("ScaledObject {} removed from the trigger files: it is no longer polled", id);
            } else if (!loaded.containsKey(id)) {
                LOG.warn("ScaledObject {}: its new version does not load, the last good configuration keeps running", id);
            }
        }
    }
}
