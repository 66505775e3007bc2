package io.ddbstreamscaler.keda;

import io.ddbstreamscaler.bench.keda.KedaBed;
import io.ddbstreamscaler.bench.keda.LocalCluster;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The suite's one {@link KedaBed}: a local control plane and KEDA started once for every test class of the run (state
 * under keda-tests/target/, ports 36xxx), stopped when the run ends. Where the binaries are not built, every class is
 * skipped with one line naming the command that builds them, unless {@code -Dcluster.required=true} (as .ci/run
 * passes after building them): then the first class fails with that line.
 */
public final class KedaBedExtension implements ExecutionCondition, ParameterResolver {

    /** The repository root: failsafe runs the tests there. */
    static final Path REPO = Path.of("").toAbsolutePath();
    private static final AtomicBoolean SAID = new AtomicBoolean();

    static boolean required() {
        return Boolean.getBoolean("cluster.required");
    }

    /** Under the module's target/ (failsafe sets keda.tests.dir), else /tmp when run from an IDE. */
    static Path work() {
        String dir = System.getProperty("keda.tests.dir");
        return dir != null ? Path.of(dir) : Path.of("/tmp/ddbss-keda-tests");
    }

    static Path agentJar() {
        return Path.of(System.getProperty("agent.jar", "target/ddbstream-scaler.jar")).toAbsolutePath();
    }

    /** Why the suite cannot run here, or empty. */
    static Optional<String> missing() {
        Optional<String> cluster = LocalCluster.missing(REPO);
        if (cluster.isPresent()) {
            return cluster;
        }
        if (!Files.isRegularFile(agentJar())) {
            return Optional.of("no agent jar at " + agentJar() + ": build it with `mvn -B -q -o package -DskipTests`");
        }
        return Optional.empty();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = missing();
        if (missing.isEmpty() || required()) {
            // Required and missing: the bed's start fails the class with the same line.
            return ConditionEvaluationResult.enabled("KEDA bed available");
        }
        String line = "keda-tests skipped: " + missing.get();
        if (SAID.compareAndSet(false, true)) {
            System.out.println(line);
        }
        return ConditionEvaluationResult.disabled(line);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KedaBed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> start(), Running.class).bed();
    }

    private static Running start() {
        missing().ifPresent(m -> {
            throw new ParameterResolutionException("-Dcluster.required=true and " + m);
        });
        try {
            LocalCluster cluster = new LocalCluster(REPO, work().resolve("cluster"), LocalCluster.Ports.KEDA_TESTS, 3);
            return new Running(KedaBed.start(cluster, System.out));
        } catch (Exception e) {
            throw new ParameterResolutionException("cannot start the local cluster and KEDA: " + e.getMessage(), e);
        }
    }

    /** Closed by JUnit when the whole run ends. */
    private record Running(KedaBed bed) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            bed.close();
        }
    }
}
