package io.ddbstreamscaler.trigger;

/** apiVersion, kind, name and namespace of one Kubernetes object; namespace defaults to "default" as kubectl does. */
record ObjectHeader(String apiVersion, String kind, String name, String namespace) {

    static final String DEFAULT_NAMESPACE = "default";

    static ObjectHeader of(YamlView root) {
        YamlView metadata = root.object("metadata");
        String name = metadata == null ? null : metadata.string("name");
        String namespace = metadata == null ? null : metadata.string("namespace");
        return new ObjectHeader(root.string("apiVersion"), root.string("kind"), name,
                namespace == null ? DEFAULT_NAMESPACE : namespace);
    }

    /** "ScaledObject ns/name", the way errors name an object. */
    String label(boolean clusterScoped) {
        return kind + " " + (clusterScoped ? name : namespace + "/" + name);
    }
}
