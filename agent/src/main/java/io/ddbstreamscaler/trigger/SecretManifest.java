package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.Map;

/** A v1 Secret read from a trigger file: {@code data} decoded, {@code stringData} laid over it. Values never print. */
record SecretManifest(Path file, String namespace, String name, Map<String, String> values) {

    SecretManifest {
        values = Map.copyOf(values);
    }

    String id() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return "Secret " + id() + " keys=" + values.keySet().stream().sorted().toList();
    }
}
