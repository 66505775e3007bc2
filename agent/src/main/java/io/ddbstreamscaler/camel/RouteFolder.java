package io.ddbstreamscaler.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The YAML DSL routes of the agent, read from a folder at run time. Loading is all or nothing: a new set of files is
 * first loaded into a scratch CamelContext; only when it loads, and has the {@link #REQUIRED_ROUTES}, are the running
 * routes swapped for it. camel-main's own reload removes the running routes on an invalid edit and still reports UP,
 * and it never sees a ConfigMap update (the kubelet swaps a {@code ..data} symlink): see ../shared/FIELD-NOTES.md.
 */
public final class RouteFolder {

    /** The routes the agent needs: the dispatcher, the poll and the Lease pass (routes/scale-loop.camel.yaml). */
    public static final List<String> REQUIRED_ROUTES = List.of("poll-dispatch", "scale-loop", "lease-spread");

    private final Path folder;

    public RouteFolder(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** The route files as they are now (through symlinks, as a mounted ConfigMap has them), sorted by name. */
    public List<Resource> read() throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("routes folder " + folder + " does not exist (set SCALER_ROUTES or --routes)");
        }
        List<Resource> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(RouteFolder::isRouteFile).sorted().toList()) {
                String yaml = Files.readString(file, StandardCharsets.UTF_8);
                // The name must end in .yaml so that Camel picks the YAML DSL loader.
                resources.add(ResourceHelper.fromString("file:" + file, yaml));
            }
        }
        if (resources.isEmpty()) {
            throw new IOException("routes folder " + folder + " holds no *.yaml route file");
        }
        return resources;
    }

    static boolean isRouteFile(Path file) {
        String name = file.getFileName().toString();
        // Skip the kubelet's hidden ..data / ..2024_… entries: the visible names link into them.
        // Skip routes/kustomization.yaml too: it generates the routes ConfigMap from this folder (docs/deploy.md).
        return !name.startsWith(".") && !name.startsWith("kustomization.") && (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(file);
    }

    /**
     * Loads the routes into a scratch context to prove they load, without touching the running ones. The scratch
     * context sees the agent's beans, so a route that names a missing bean fails here, not in the swap.
     *
     * @throws Exception with Camel's message naming the file and the line when they do not
     */
    public static void validate(List<Resource> resources, Registry beans) throws Exception {
        // A read-only view of the agent's beans: closing the scratch context must not close the live registry.
        try (DefaultCamelContext scratch = new DefaultCamelContext(new DefaultRegistry(readOnly(beans)))) {
            PluginHelper.getRoutesLoader(scratch).loadRoutes(resources);
            Model model = scratch.getCamelContextExtension().getContextPlugin(Model.class);
            for (String id : REQUIRED_ROUTES) {
                if (model.getRouteDefinition(id) == null) {
                    throw new IllegalArgumentException("no route with id '" + id + "' in the route files: the agent "
                            + "needs poll-dispatch (the schedule), scale-loop (one poll) and lease-spread (leader election)");
                }
            }
        }
    }

    private static BeanRepository readOnly(BeanRepository beans) {
        return new BeanRepository() {
            @Override
            public Object lookupByName(String name) {
                return beans.lookupByName(name);
            }

            @Override
            public <T> T lookupByNameAndType(String name, Class<T> type) {
                return beans.lookupByNameAndType(name, type);
            }

            @Override
            public <T> Map<String, T> findByTypeWithName(Class<T> type) {
                return beans.findByTypeWithName(type);
            }

            @Override
            public <T> java.util.Set<T> findByType(Class<T> type) {
                return beans.findByType(type);
            }
        };
    }

    /** Removes every route, template and route configuration from the running context, then loads {@code resources}. */
    public static void swapIn(CamelContext context, List<Resource> resources) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        // A graceful stop first: a poll in flight finishes through the old sinks instead of meeting removed ones.
        context.getRouteController().stopAllRoutes();
        model.removeRouteDefinitions(new ArrayList<>(model.getRouteDefinitions()));
        context.getRouteController().removeAllRoutes();
        model.removeRouteTemplateDefinitions("*");
        for (var configuration : new ArrayList<>(model.getRouteConfigurationDefinitions())) {
            model.removeRouteConfiguration(configuration);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);
    }
}
