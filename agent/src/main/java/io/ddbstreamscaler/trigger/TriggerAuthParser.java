package io.ddbstreamscaler.trigger;

import io.ddbstreamscaler.trigger.TriggerAuthManifest.EnvRef;
import io.ddbstreamscaler.trigger.TriggerAuthManifest.SecretTargetRef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a TriggerAuthentication / ClusterTriggerAuthentication (keda.sh/v1alpha1): {@code secretTargetRef}, {@code env}
 * and {@code podIdentity}. Field names follow KEDA's {@code apis/keda/v1alpha1/triggerauthentication_types.go}.
 */
final class TriggerAuthParser {

    /** KEDA's providers for AWS; "none" is KEDA's explicit "no pod identity". */
    static final Set<String> AWS_PROVIDERS = Set.of("aws", "aws-eks", "aws-kiam", "none");

    /** The sources read here; KEDA's others (Vault, cloud secret managers, ConfigMaps) are not. */
    static final Set<String> SUPPORTED_SOURCES = Set.of("secretTargetRef", "env", "podIdentity");

    private TriggerAuthParser() {
    }

    static TriggerAuthManifest parse(Path file, ObjectHeader header, String secretNamespace, YamlView root,
                                     ErrorSink problems, Problems warnings) {
        int before = problems.size();
        YamlView spec = root.object("spec");
        List<SecretTargetRef> secrets = new ArrayList<>();
        List<EnvRef> env = new ArrayList<>();
        String provider = null;
        String roleArn = null;
        if (spec == null) {
            problems.add("spec", "is required");
        } else {
            for (String source : spec.keys()) {
                if (!SUPPORTED_SOURCES.contains(source)) {
                    warnings.add("spec." + source, "is not supported here (only secretTargetRef, env and podIdentity):"
                            + " its parameters are not set");
                }
            }
            for (YamlView ref : spec.objects("secretTargetRef")) {
                if (ref != null) {
                    String parameter = required(ref, "parameter", problems);
                    String name = required(ref, "name", problems);
                    String key = required(ref, "key", problems);
                    if (parameter != null && name != null && key != null) {
                        secrets.add(new SecretTargetRef(parameter, name, key));
                    }
                }
            }
            for (YamlView ref : spec.objects("env")) {
                if (ref != null) {
                    String parameter = required(ref, "parameter", problems);
                    String name = required(ref, "name", problems);
                    if (parameter != null && name != null) {
                        env.add(new EnvRef(parameter, name));
                    }
                }
            }
            YamlView podIdentity = spec.object("podIdentity");
            if (podIdentity != null) {
                provider = required(podIdentity, "provider", problems);
                roleArn = podIdentity.string("roleArn");
                if (provider != null && !AWS_PROVIDERS.contains(provider)) {
                    warnings.add(podIdentity.path("provider"), YamlView.quote(provider)
                            + " is not an AWS provider; an AWS trigger using it falls back to its other parameters");
                    provider = null;
                }
                if ("none".equals(provider)) {
                    provider = null;
                }
            }
        }
        return new TriggerAuthManifest(file, header.kind(), secretNamespace, header.name(), secrets, env, provider,
                roleArn, problems.size() == before);
    }

    private static String required(YamlView view, String key, Problems problems) {
        String value = view.string(key);
        if (value == null) {
            problems.add(view.path(key), "is required");
        }
        return value;
    }
}
