package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.PollSchedule;

import io.ddbstreamscaler.election.ElectionTiming;
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
 * first loaded into a scratch CamelContext; only when it loads and keeps the {@link RouteContract} are the running
 * routes swapped for it. camel-main's own reload removes the running routes on an invalid edit and still reports UP,
 * and it never sees a ConfigMap update (the kubelet swaps a {@code ..data} symlink), hence this class.
 */
public final class RouteFolder {

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

    /** {@link #validate(List, Registry, ElectionTiming)} with the shipped election periods. */
    public static void validate(List<Resource> resources, Registry beans) throws Exception {
        validate(resources, beans, ElectionTiming.DEFAULT);
    }

    /**
     * Loads the routes into a scratch context to prove they load and keep the {@link RouteContract}, without touching
     * the running ones.
     *
     * @throws Exception with Camel's message naming the file and the line when they do not load, or the contract's
     *                   naming what is missing
     */
    public static void validate(List<Resource> resources, Registry beans, ElectionTiming election) throws Exception {
        // A read-only view of the agent's beans: closing the scratch context must not close the live registry.
        try (DefaultCamelContext scratch = new DefaultCamelContext(new DefaultRegistry(readOnly(beans)))) {
            scratch.getPropertiesComponent().addInitialProperty(RouteContract.LEASE_PASS_PERIOD,
                    Long.toString(election.passPeriod().toMillis()));
            PluginHelper.getRoutesLoader(scratch).loadRoutes(resources);
            Model model = scratch.getCamelContextExtension().getContextPlugin(Model.class);
            RouteContract.check(model, name -> beans.lookupByName(name) != null, scratch::resolvePropertyPlaceholders,
                    election);
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

    /**
     * Removes every route, template and route configuration from the running context, then loads {@code resources}.
     * Call it with no poll in flight ({@link io.ddbstreamscaler.schedule.PollSchedule#hold}): the routes then stop at
     * once, without Camel's shutdown timeout.
     */
    public static void swapIn(CamelContext context, List<Resource> resources) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
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
