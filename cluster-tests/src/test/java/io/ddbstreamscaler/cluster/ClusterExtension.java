package io.ddbstreamscaler.cluster;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One cluster for the whole suite: started before the first test class that needs it, stopped and purged when the
 * suite ends (JUnit closes the root store's resources last). Where build.sh has not cached the control plane, every
 * class is skipped and one line says how to build it; with {@code -Dcluster.required=true} (.ci/run) that fails
 * instead.
 */
final class ClusterExtension implements BeforeAllCallback, ParameterResolver {

    static final String REQUIRED = "cluster.required";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context);
    }

    private static LocalCluster running(ExtensionContext context) {
        Started started = context.getRoot().getStore(NS).getOrComputeIfAbsent(Started.class, k -> Started.start(),
                Started.class);
        if (started.skipReason != null) {
            throw new TestAbortedException(started.skipReason);
        }
        return started.cluster;
    }

    /** The suite's cluster, or why there is none; closed (stopped, purged) when the suite ends. */
    static final class Started implements ExtensionContext.Store.CloseableResource {
        final LocalCluster cluster;
        final String skipReason;

        private Started(LocalCluster cluster, String skipReason) {
            this.cluster = cluster;
            this.skipReason = skipReason;
        }

        static Started start() {
            List<String> missing = LocalCluster.missingBinaries();
            if (!missing.isEmpty()) {
                String line = "the local control plane is not built on this machine (missing " + missing.get(0)
                        + "): build it once with: bash scripts/cluster/build.sh";
                if (Boolean.getBoolean(REQUIRED)) {
                    throw new IllegalStateException("cluster-tests: -D" + REQUIRED + "=true, but " + line);
                }
                System.err.println("cluster-tests: SKIPPED: " + line);
                return new Started(null, line);
            }
            if (!Files.isRegularFile(AgentProcess.JAR)) {
                throw new IllegalStateException(AgentProcess.JAR + " is missing: the suite runs after the agent's package"
                        + " phase (mvn -B verify -pl cluster-tests -am)");
            }
            LocalCluster cluster = new LocalCluster(Path.of(System.getProperty("cluster.dir", "cluster-tests/target/cluster")));
            cluster.startFresh();
            return new Started(cluster, null);
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.stopAndPurge();
            }
        }
    }
}
