package io.ddbstreamscaler.fault;

import java.util.ArrayList;
import java.util.List;

import static io.ddbstreamscaler.fault.Templates.SCALED_OBJECT;
import static io.ddbstreamscaler.fault.Templates.SECRET;
import static io.ddbstreamscaler.fault.Templates.TRIGGER_AUTH;

/**
 * Unknown kinds and apiVersions. Another kind is silently ignored (a whole manifest folder may be given, with its
 * Deployments and ConfigMaps); one of our kinds under another API group is skipped with a warning; a blank kind is an
 * error, as it is no Kubernetes object.
 */
final class KindCases {

    private KindCases() {
    }

    static List<MalformedDocument> all() {
        List<MalformedDocument> cases = new ArrayList<>();
        String[][] ignored = {
                {"apps/v1", "Deployment"}, {"v1", "ConfigMap"}, {"keda.sh/v1alpha1", "ScaledJob"},
                {"keda.sh/v1alpha1", "scaledobject"}, {"keda.sh/v1alpha1", "ScaledObjects"},
                {"keda.sh/v1alpha1", "Scaled Object"}, {"example.com/v1", "Widget"}, {"v1", "secret"}};
        for (String[] row : ignored) {
            cases.add(kind(row[0], row[1], Outcome.IGNORED, null));
        }
        for (Object kind : List.of(42, true, 1.5)) {
            cases.add(new MalformedDocument("kind " + kind, Category.UNKNOWN_KIND, Outcome.IGNORED, false,
                    Templates.mutate(SCALED_OBJECT, List.of("kind"), kind), null, null, null, null));
        }
        String[][] foreignGroups = {
                {SCALED_OBJECT, "autoscaling/v2"}, {SCALED_OBJECT, "keda.sh"}, {SCALED_OBJECT, "v1"},
                {SCALED_OBJECT, "keda.k8s.io/v1alpha1"}, {TRIGGER_AUTH, "v1"}, {TRIGGER_AUTH, "keda.k8s.io/v1alpha1"},
                {SECRET, "v2"}, {SECRET, "apps/v1"}, {SECRET, "keda.sh/v1alpha1"}};
        for (String[] row : foreignGroups) {
            String kind = StructureCases.kindOf(row[0]);
            cases.add(new MalformedDocument(kind + " apiVersion " + row[1], Category.UNKNOWN_KIND,
                    Outcome.SKIPPED_WITH_WARNING, false, Templates.mutate(row[0], List.of("apiVersion"), row[1]), null,
                    null, null, kind + " with apiVersion " + row[1] + " is not KEDA's (or core v1's): skipped"));
        }
        cases.add(new MalformedDocument("ScaledObject apiVersion 7", Category.UNKNOWN_KIND, Outcome.SKIPPED_WITH_WARNING,
                false, Templates.mutate(SCALED_OBJECT, List.of("apiVersion"), 7), null, null, null,
                "ScaledObject with apiVersion 7 is not KEDA's"));
        cases.add(MalformedDocument.rejected("kind blank", Category.UNKNOWN_KIND,
                Templates.mutate(SCALED_OBJECT, List.of("kind"), " "), StructureCases.DOCUMENT, "kind",
                "is required (not a Kubernetes object)"));
        cases.add(MalformedDocument.rejected("kind null", Category.UNKNOWN_KIND,
                Templates.mutate(SECRET, List.of("kind"), null), StructureCases.DOCUMENT, "kind",
                "is required (not a Kubernetes object)"));
        return cases;
    }

    private static MalformedDocument kind(String apiVersion, String kind, Outcome outcome, String warning) {
        return new MalformedDocument(apiVersion + " " + kind, Category.UNKNOWN_KIND, outcome, false,
                Templates.mutate(SCALED_OBJECT, List.of("kind"), kind).replace("\"keda.sh/v1alpha1\"",
                        "\"" + apiVersion + "\""), null, null, null, warning);
    }
}
