package io.ddbstreamscaler.simulator;

import io.fabric8.mockwebserver.http.MockResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static API discovery for the simulator: raw CRUD mode answers {@code /api} and {@code /apis} with lists of stored
 * objects, which kubectl cannot read. These are the groups and resources the agent and its tests use.
 */
final class KubeDiscovery {

    private record Res(String name, String kind, boolean namespaced, List<String> verbs) {
    }

    private static final List<String> CRUD = List.of("create", "delete", "get", "list", "patch", "update", "watch");
    private static final List<String> SUB = List.of("get", "patch", "update");

    private static final Map<String, List<Res>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("/api/v1", List.of(new Res("pods", "Pod", true, CRUD), new Res("secrets", "Secret", true, CRUD),
                new Res("configmaps", "ConfigMap", true, CRUD), new Res("namespaces", "Namespace", false, CRUD),
                new Res("services", "Service", true, CRUD), new Res("serviceaccounts", "ServiceAccount", true, CRUD),
                new Res("events", "Event", true, CRUD)));
        GROUPS.put("/apis/apps/v1", List.of(new Res("deployments", "Deployment", true, CRUD),
                new Res("deployments/scale", "Scale", true, SUB), new Res("deployments/status", "Deployment", true, SUB),
                new Res("statefulsets", "StatefulSet", true, CRUD), new Res("statefulsets/scale", "Scale", true, SUB),
                new Res("replicasets", "ReplicaSet", true, CRUD), new Res("replicasets/scale", "Scale", true, SUB)));
        GROUPS.put("/apis/coordination.k8s.io/v1", List.of(new Res("leases", "Lease", true, CRUD)));
        GROUPS.put("/apis/rbac.authorization.k8s.io/v1", List.of(new Res("roles", "Role", true, CRUD),
                new Res("rolebindings", "RoleBinding", true, CRUD)));
        GROUPS.put("/apis/keda.sh/v1alpha1", List.of(new Res("scaledobjects", "ScaledObject", true, CRUD),
                new Res("triggerauthentications", "TriggerAuthentication", true, CRUD)));
        GROUPS.put("/apis/argoproj.io/v1alpha1", List.of(new Res("rollouts", "Rollout", true, CRUD),
                new Res("rollouts/scale", "Scale", true, SUB)));
    }

    private KubeDiscovery() {
    }

    /** The discovery document for {@code path}, or null when the path is not a discovery path. */
    static MockResponse answer(String path) {
        switch (path) {
            case "/version":
                return KubeApiDispatcher.json(200, Map.of("major", "1", "minor", "31", "gitVersion", "v1.31.0-simulator",
                        "platform", "linux/amd64"));
            case "/api":
                return KubeApiDispatcher.json(200, Map.of("kind", "APIVersions", "versions", List.of("v1"),
                        "serverAddressByClientCIDRs", List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1"))));
            case "/apis":
                return KubeApiDispatcher.json(200, Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups",
                        GROUPS.keySet().stream().filter(p -> p.startsWith("/apis/")).map(KubeDiscovery::group).toList()));
            default:
                List<Res> resources = GROUPS.get(path);
                if (resources == null) {
                    return null;
                }
                return KubeApiDispatcher.json(200, Map.of("kind", "APIResourceList", "apiVersion", "v1",
                        "groupVersion", path.startsWith("/api/") ? "v1" : path.substring("/apis/".length()),
                        "resources", resources.stream().map(KubeDiscovery::resource).toList()));
        }
    }

    private static Map<String, Object> group(String path) {
        String groupVersion = path.substring("/apis/".length());
        String name = groupVersion.substring(0, groupVersion.indexOf('/'));
        Map<String, String> version = Map.of("groupVersion", groupVersion,
                "version", groupVersion.substring(groupVersion.indexOf('/') + 1));
        return Map.of("name", name, "versions", List.of(version), "preferredVersion", version);
    }

    private static Map<String, Object> resource(Res r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("singularName", r.name().contains("/") ? "" : r.kind().toLowerCase());
        m.put("namespaced", r.namespaced());
        m.put("kind", r.kind());
        m.put("verbs", r.verbs());
        return m;
    }
}
