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

    /** Kubernetes' IsDNS1123Subdomain / IsDNS1123Label (k8s.io/apimachinery/pkg/util/validation). */
    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
    static final int MAX_NAME = 253;
    static final int MAX_NAMESPACE = 63;

    /**
     * The API server's name rules (ValidateObjectMeta: a DNS-1123 subdomain; a namespace is a DNS-1123 label), checked
     * before the name goes into any message: a 10 MB name, or one with a line break, would otherwise be repeated in
     * every error and warning of the object. Reported to {@code problems}; true when both are fine.
     */
    boolean checkNames(Problems problems) {
        boolean nameOk = check(name, "metadata.name", MAX_NAME, DNS1123_SUBDOMAIN,
                "a lowercase DNS-1123 subdomain (a-z, 0-9, '-' and '.', starting and ending with a-z or 0-9)", problems);
        boolean namespaceOk = check(namespace, "metadata.namespace", MAX_NAMESPACE, DNS1123_LABEL,
                "a lowercase DNS-1123 label (a-z, 0-9 and '-', starting and ending with a-z or 0-9)", problems);
        return nameOk && namespaceOk;
    }

    private static boolean check(String value, String field, int max, String pattern, String rule, Problems problems) {
        if (value.length() > max) {
            problems.add(field, "must be at most " + max + " characters, got " + value.length());
            return false;
        }
        if (!value.matches(pattern)) {
            problems.add(field, "must be " + rule + ", got " + YamlView.quote(value));
            return false;
        }
        return true;
    }

    /** "ScaledObject ns/name", the way errors name an object. */
    String label(boolean clusterScoped) {
        return kind + " " + (clusterScoped ? name : namespace + "/" + name);
    }
}
