package io.ddbstreamscaler.trigger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Loads ScaledObjects with DynamoDB Streams triggers from files and folders of multi-document YAML. Secrets and
 * (Cluster)TriggerAuthentications in the same files are used first, then {@code clusterSecrets}; other kinds are
 * skipped, so a whole manifest folder can be given. Never throws for bad input: every problem is a
 * {@link ConfigError} naming the file, the object and the field, and a bad object never hides a good one.
 *
 * <p>Duplicates: the same object twice in one file is an error (the later one is dropped, as it would overwrite the
 * first); the same ScaledObject in two files is a warning naming both files, and both are kept, each resolving its
 * references in its own file first (the spec's two examples are such a pair).
 */
public final class TriggerConfigLoader {

    /** KEDA reads the Secrets of ClusterTriggerAuthentications from this namespace ({@code KEDA_CLUSTER_OBJECT_NAMESPACE}). */
    static final String CLUSTER_OBJECT_NAMESPACE_ENV = "KEDA_CLUSTER_OBJECT_NAMESPACE";
    static final String DEFAULT_CLUSTER_OBJECT_NAMESPACE = "keda";

    private final SecretSource clusterSecrets;
    private final Function<String, String> env;
    private final boolean strict;

    public TriggerConfigLoader(SecretSource clusterSecrets) {
        this(clusterSecrets, System::getenv);
    }

    /** @param env environment lookups (TriggerAuthentication {@code env}, {@code awsAccessKeyIDFromEnv}), for tests */
    public TriggerConfigLoader(SecretSource clusterSecrets, Function<String, String> env) {
        this(clusterSecrets, env, false);
    }

    /** @param strict {@code --strict}: every warning is an error of the object it is about, which then does not load */
    public TriggerConfigLoader(SecretSource clusterSecrets, Function<String, String> env, boolean strict) {
        this.clusterSecrets = Objects.requireNonNull(clusterSecrets, "clusterSecrets");
        this.env = Objects.requireNonNull(env, "env");
        this.strict = strict;
    }

    /** The same loader with {@code --strict} on or off. */
    public TriggerConfigLoader strict(boolean on) {
        return new TriggerConfigLoader(clusterSecrets, env, on);
    }

    /** Loads files, and the {@code *.yaml} / {@code *.yml} files of folders (recursively, in name order). */
    public LoadResult load(List<Path> paths) {
        List<ConfigError> errors = new ArrayList<>();
        Warnings warnings = new Warnings(strict);
        List<String> notes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<YamlDocument> documents = new ArrayList<>();
        for (Path file : expand(paths, errors)) {
            documents.addAll(YamlDocuments.read(file));
        }
        ManifestIndex index = new ManifestIndex();
        List<Parsed> scaledObjects = new ArrayList<>();
        for (YamlDocument document : documents) {
            if (document.error() != null) {
                errors.add(new ConfigError(document.file(), document.index() == 0 ? null : document.label(), null,
                        null, document.error()));
                continue;
            }
            classify(document, index, scaledObjects, errors, warnings);
        }
        List<ScaledObjectConfig> valid = new ArrayList<>();
        AuthParamResolver resolver = new AuthParamResolver(index, clusterSecrets, env);
        Map<String, Path> seen = new HashMap<>();
        for (Parsed parsed : scaledObjects) {
            String label = parsed.header().label(false);
            TriggerContext context = new TriggerContext(parsed.file(), label, parsed.header().namespace(), resolver, env,
                    warnings, notes, skipped);
            ErrorSink sink = new ErrorSink(parsed.file(), label);
            YamlView root = new YamlView(parsed.root(), "", sink);
            ScaledObjectConfig config = ScaledObjectParser.parse(parsed.header(), root, context, sink);
            errors.addAll(sink.errors());
            if (config != null) {
                Path other = seen.putIfAbsent(config.id(), config.sourceFile());
                if (other != null) {
                    warnings.add(new ConfigError(config.sourceFile(), label, null, "metadata.name", "is also defined in "
                            + other + ": both are loaded; applied to one cluster, the later would replace the earlier"),
                            errors);
                    if (strict) {
                        continue;
                    }
                }
                valid.add(config);
            }
        }
        if (scaledObjects.isEmpty() && errors.isEmpty()) {
            warnings.add(new ConfigError(null, null, null, null,
                    "no ScaledObject with an aws-dynamodb-stream(s) trigger found in " + paths), errors);
        }
        return new LoadResult(valid, errors, warnings.lines(), dedupe(notes), skipped);
    }

    private record Parsed(Path file, ObjectHeader header, java.util.Map<?, ?> root) {
    }

    private void classify(YamlDocument document, ManifestIndex index, List<Parsed> scaledObjects,
                          List<ConfigError> errors, Warnings warnings) {
        ErrorSink headerSink = new ErrorSink(document.file(), document.label());
        YamlView root = new YamlView(document.root(), "", headerSink);
        ObjectHeader header = ObjectHeader.of(root);
        String kind = header.kind();
        boolean ours = "ScaledObject".equals(kind) || TriggerAuthManifest.NAMESPACED.equals(kind)
                || TriggerAuthManifest.CLUSTER.equals(kind) || "Secret".equals(kind);
        if (kind != null && !ours) {
            return; // other kinds are not ours: a whole manifest folder may be given
        }
        if (kind == null && headerSink.isEmpty()) {
            headerSink.add("kind", "is required (not a Kubernetes object)");
        }
        if (!headerSink.isEmpty()) {
            errors.addAll(headerSink.errors());
            return;
        }
        if (!apiGroupMatches(kind, header.apiVersion())) {
            String apiVersion = header.apiVersion() == null || header.apiVersion().length() <= 80 ? header.apiVersion()
                    : header.apiVersion().substring(0, 77) + "...";
            warnings.add(new ConfigError(document.file(), document.label(), null, null, kind + " with apiVersion "
                    + apiVersion + " is not KEDA's (or core v1's): skipped"), errors);
            return;
        }
        if (header.name() == null) {
            headerSink.add("metadata.name", "is required");
            errors.addAll(headerSink.errors());
            return;
        }
        if (!header.checkNames(headerSink)) {
            errors.addAll(headerSink.errors());
            return;
        }
        boolean cluster = TriggerAuthManifest.CLUSTER.equals(kind);
        ErrorSink sink = new ErrorSink(document.file(), header.label(cluster));
        YamlView view = new YamlView(document.root(), "", sink);
        switch (kind) {
            case "ScaledObject" -> scaledObjects.add(new Parsed(document.file(), header, document.root()));
            case "Secret" -> index.add(SecretParser.parse(document.file(), header, view, sink))
                    .ifPresent(twin -> sink.add("metadata.name", "is defined twice in this file; the later is ignored"));
            default -> {
                String secretNamespace = cluster
                        ? Objects.requireNonNullElse(env.apply(CLUSTER_OBJECT_NAMESPACE_ENV), DEFAULT_CLUSTER_OBJECT_NAMESPACE)
                        : header.namespace();
                index.add(TriggerAuthParser.parse(document.file(), header, secretNamespace, view, sink,
                                warnings.about(document.file(), header.label(cluster), sink)))
                        .ifPresent(twin -> sink.add("metadata.name", "is defined twice in this file; the later is ignored"));
            }
        }
        errors.addAll(sink.errors());
        if ("ScaledObject".equals(kind)) {
            String id = header.namespace() + "/" + header.name();
            long twins = scaledObjects.stream().filter(p -> p.file().equals(document.file())
                    && (p.header().namespace() + "/" + p.header().name()).equals(id)).count();
            if (twins > 1) {
                scaledObjects.remove(scaledObjects.size() - 1);
                errors.add(new ConfigError(document.file(), header.label(false), null, "metadata.name",
                        "is defined twice in this file; the later is ignored"));
            }
        }
    }

    /** keda.sh/* for KEDA's kinds, v1 for Secret. */
    private static boolean apiGroupMatches(String kind, String apiVersion) {
        if (apiVersion == null) {
            return false;
        }
        return "Secret".equals(kind) ? apiVersion.equals("v1") : apiVersion.startsWith("keda.sh/");
    }

    private static List<Path> expand(List<Path> paths, List<ConfigError> errors) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(TriggerConfigLoader::isYaml).sorted().forEach(files::add);
                } catch (IOException | RuntimeException e) {
                    errors.add(new ConfigError(path, null, null, null, "cannot list folder: " + e.getMessage()));
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                errors.add(new ConfigError(path, null, null, null, "no such file or folder"));
            }
        }
        return files;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static List<String> dedupe(List<String> lines) {
        return lines.stream().distinct().toList();
    }
}
