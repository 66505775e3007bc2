package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The Secrets and (Cluster)TriggerAuthentications of all files. A ScaledObject's references are looked up in its own
 * file first, then in the other files in load order: the spec's two examples both define {@code keda-test/test-secrets}
 * and {@code keda-test/keda-trigger-auth-aws-credentials}, each file meaning its own.
 */
final class ManifestIndex {

    private final List<SecretManifest> secrets = new ArrayList<>();
    private final List<TriggerAuthManifest> auths = new ArrayList<>();

    /** Adds a Secret; returns the one already defined with the same id in the same file, if any. */
    Optional<SecretManifest> add(SecretManifest secret) {
        Optional<SecretManifest> twin = secrets.stream()
                .filter(s -> s.file().equals(secret.file()) && s.id().equals(secret.id())).findFirst();
        if (twin.isEmpty()) {
            secrets.add(secret);
        }
        return twin;
    }

    /** Adds a (Cluster)TriggerAuthentication; returns the one already defined with the same id in the same file. */
    Optional<TriggerAuthManifest> add(TriggerAuthManifest auth) {
        Optional<TriggerAuthManifest> twin = auths.stream()
                .filter(a -> a.file().equals(auth.file()) && sameAuth(a, auth.kind(), auth.namespace(), auth.name()))
                .findFirst();
        if (twin.isEmpty()) {
            auths.add(auth);
        }
        return twin;
    }

    Optional<SecretManifest> secret(String namespace, String name, Path preferredFile) {
        return preferring(secrets, s -> s.namespace().equals(namespace) && s.name().equals(name), preferredFile,
                SecretManifest::file);
    }

    Optional<TriggerAuthManifest> auth(String kind, String namespace, String name, Path preferredFile) {
        return preferring(auths, a -> sameAuth(a, kind, namespace, name), preferredFile, TriggerAuthManifest::file);
    }

    private static boolean sameAuth(TriggerAuthManifest auth, String kind, String namespace, String name) {
        // A ClusterTriggerAuthentication has no namespace of its own: its name alone identifies it.
        return auth.kind().equals(kind) && auth.name().equals(name)
                && (TriggerAuthManifest.CLUSTER.equals(kind) || auth.namespace().equals(namespace));
    }

    private static <T> Optional<T> preferring(List<T> items, Predicate<T> match, Path file,
                                              java.util.function.Function<T, Path> fileOf) {
        Optional<T> local = items.stream().filter(match).filter(i -> fileOf.apply(i).equals(file)).findFirst();
        return local.isPresent() ? local : items.stream().filter(match).findFirst();
    }
}
