package io.ddbstreamscaler.trigger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the {@code scalerMetadata} KEDA sends to an external scaler into a {@link TriggerConfig}, through the same
 * parser as an {@code aws-dynamodb-stream} trigger in a YAML file, so the same metadata gets the same errors.
 * <p>
 * What differs is only what KEDA forwards ({@code kedacore/keda: pkg/scalers/external_scaler.go}): the trigger's
 * metadata and nothing of its TriggerAuthentication, except that each {@code …FromEnv} key arrives holding the value
 * KEDA read from the target container's environment (the name of the variable is gone). So:
 * <ul>
 *   <li>{@code awsAccessKeyIDFromEnv} / {@code awsSecretAccessKeyFromEnv} are read as already-resolved values;</li>
 *   <li>{@code awsRoleArn}, an authentication parameter in a YAML trigger, is taken from the metadata and handed to the
 *       parser as the parameter of an in-memory authentication, so KEDA's precedence applies unchanged;</li>
 *   <li>the keys KEDA's external trigger reads itself ({@code scalerAddress}, {@code enableTLS}, {@code unsafeSsl})
 *       are left out before parsing, so they draw no "unknown key" warning.</li>
 * </ul>
 * Errors name the field as {@code metadata.<key>} and the bad value; a credential value never appears in them.
 */
public final class ExternalTriggerMetadata {

    /** Keys of KEDA's {@code external}/{@code external-push} trigger itself. */
    static final Set<String> EXTERNAL_SCALER_KEYS = Set.of("scalerAddress", "enableTLS", "unsafeSsl");

    /** Authentication parameters that can only come through the metadata here. */
    static final Set<String> AUTH_PARAMETER_KEYS = Set.of("awsRoleArn", "awsExternalId");

    private static final Path SOURCE = Path.of("scalerMetadata");
    private static final String AUTH_NAME = "scaler-metadata";
    // Cannot occur in a resolved environment value: tells the in-memory authentication's references apart.
    private static final String AUTH_ENV_PREFIX = "\u0000scalerMetadata:";

    private ExternalTriggerMetadata() {
    }

    /** Bad metadata: every problem found, each naming its field and value. */
    public static final class InvalidMetadataException extends IllegalArgumentException {
        private final transient List<ConfigError> errors;

        InvalidMetadataException(List<ConfigError> errors) {
            super(String.join("; ", errors.stream().map(ConfigError::format).toList()));
            this.errors = List.copyOf(errors);
        }

        public List<ConfigError> errors() {
            return errors;
        }
    }

    /**
     * @param metadata  {@code ScaledObjectRef.scalerMetadata} as KEDA sent it
     * @param namespace {@code ScaledObjectRef.namespace}
     * @param name      {@code ScaledObjectRef.name}
     * @return the trigger (index 0: KEDA strips the {@code s<i>-} prefix before it asks an external scaler)
     * @throws InvalidMetadataException when the metadata has errors
     */
    public static TriggerConfig fromExternalMetadata(Map<String, String> metadata, String namespace, String name) {
        String objectLabel = "ScaledObject " + namespace + "/" + name;
        List<ConfigError> errors = new ArrayList<>();
        Problems problems = (field, message) -> errors.add(new ConfigError(null, objectLabel, null,
                externalField(field), externalMessage(message)));

        Map<String, String> triggerMetadata = new LinkedHashMap<>();
        Map<String, String> authValues = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (AUTH_PARAMETER_KEYS.contains(key)) {
                authValues.put(key, value);
            } else if (!EXTERNAL_SCALER_KEYS.contains(key)) {
                triggerMetadata.put(key, value);
            }
        });

        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", "aws-dynamodb-stream");
        trigger.put("metadata", triggerMetadata);
        ManifestIndex index = new ManifestIndex();
        if (!authValues.isEmpty()) {
            trigger.put("authenticationRef", Map.of("name", AUTH_NAME));
            List<TriggerAuthManifest.EnvRef> refs = authValues.keySet().stream()
                    .map(k -> new TriggerAuthManifest.EnvRef(k, AUTH_ENV_PREFIX + k)).toList();
            index.add(new TriggerAuthManifest(SOURCE, TriggerAuthManifest.NAMESPACED, namespace, AUTH_NAME, List.of(),
                    refs, null, null, true));
        }
        // FromEnv keys hold the resolved value already, so "the environment" is the identity; the in-memory
        // authentication's references read the metadata.
        Function<String, String> env = ref -> ref.startsWith(AUTH_ENV_PREFIX)
                ? authValues.get(ref.substring(AUTH_ENV_PREFIX.length())) : ref;
        var context = new TriggerContext(SOURCE, objectLabel, namespace,
                new AuthParamResolver(index, SecretSource.none(), env), env, new Warnings(false), new ArrayList<>(),
                new ArrayList<>());
        TriggerConfig config = DynamoDbStreamTriggerParser.parse(0, new YamlView(trigger, "", problems), context,
                problems);
        if (config == null || !errors.isEmpty()) {
            if (errors.isEmpty()) {
                errors.add(new ConfigError(null, objectLabel, null, "metadata", "is not a valid trigger"));
            }
            throw new InvalidMetadataException(errors);
        }
        return config;
    }

    /** The parser says where in a ScaledObject; here the identity is chosen from the metadata alone. */
    private static String externalField(String field) {
        return field != null && field.startsWith("authenticationRef") ? "metadata" : field;
    }

    private static String externalMessage(String message) {
        if (message.startsWith(AwsAuthParser.NO_ACCESS_KEY) || message.startsWith(AwsAuthParser.NO_SECRET_KEY)) {
            // The YAML hint (an authenticationRef) cannot reach an external scaler: say what can.
            return message + " (an external scaler gets the trigger metadata only: set awsRoleArn, or"
                    + " awsAccessKeyIDFromEnv + awsSecretAccessKeyFromEnv, or identityOwner: operator)";
        }
        return message;
    }
}
