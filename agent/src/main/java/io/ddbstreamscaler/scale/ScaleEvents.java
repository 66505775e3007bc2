package io.ddbstreamscaler.scale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes Events on the scale target, as the HPA records them (core/v1, so {@code kubectl describe deployment}
 * and {@code kubectl get events} show them). Repeats aggregate as client-go's EventCorrelator does, with a bound: one
 * Event object per (namespace, target, type, reason) for {@link #SERIES} from its creation, then a new one; the object
 * is merge-patched (count, lastTimestamp, latest message) at most once per {@link #PATCH_EVERY}, occurrences in between
 * counted here and sent with the next patch. So a failing loop writes at most one new Event per target and reason
 * every 10 minutes (docs/events-and-status.md).
 *
 * <p>Callers pass messages already free of credentials (the agent's messages name identities, never secrets).
 * Recording never throws and never affects scaling: a failure is logged once per cause, with the RBAC rule it needs.
 * Needs {@code {apiGroups: [""], resources: ["events"], verbs: ["create", "patch"]}}; the target's uid comes from
 * the {@code /scale} GET the agent is already allowed (a Scale carries its parent's uid), so no new read rule.
 */
public final class ScaleEvents {

    public enum Type { NORMAL, WARNING }

    public static final String COMPONENT = "ddbstream-scaler";
    static final Duration SERIES = Duration.ofMinutes(10);
    static final Duration PATCH_EVERY = Duration.ofSeconds(30);
    /** The API server's limit on an Event's note (events.k8s.io NoteLengthLimit, in bytes). */
    static final int MESSAGE_LIMIT = 1024;
    static final String RBAC_RULE = "{apiGroups: [\"\"], resources: [\"events\"], verbs: [\"create\", \"patch\"]}";

    private static final Logger LOG = LoggerFactory.getLogger(ScaleEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What aggregates. A Warning by its reason alone, so a failing loop keeps one object per reason. A Normal Event also
     * by its message: each rescale to a new size is an Event of its own, as the HPA records them, and repeats of the
     * same one aggregate.
     */
    private record Key(String namespace, String kind, String name, Type type, String reason, String normalMessage) {
    }

    private record Target(String namespace, String apiVersion, String kind, String name) {
    }

    private record Uid(String uid, Instant readAt) {
    }

    /** One Event object and what is known of it; guarded by its own monitor. */
    private static final class Series {
        String eventName;       // null until the API server has it
        Instant createdAt;      // when the object was created (the 10-minute window starts here)
        Instant firstSeen;
        Instant lastSeen;
        Instant lastWrite;      // the last create or patch attempt, successful or not
        int count;              // occurrences in this series
        int written;            // the count the API server holds
        String message;
    }

    private final KubernetesClient client;
    private final String reportingInstance;
    private final Clock clock;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();
    private final Map<Target, Uid> uids = new ConcurrentHashMap<>();
    /** The failure last logged per "verb namespace" (its status code), so a cause is logged once until it changes. */
    private final Map<String, Integer> loggedCauses = new ConcurrentHashMap<>();
    private final AtomicLong lastNameNanos = new AtomicLong();

    /** @param reportingInstance the agent's pod name, or host name, as the Event's reportingInstance and source.host */
    public ScaleEvents(KubernetesClient client, String reportingInstance, Clock clock) {
        this.client = client;
        this.reportingInstance = reportingInstance;
        this.clock = clock;
    }

    /** Records one occurrence; aggregates repeats; never throws. */
    public void record(String namespace, ScaleTargetRef target, Type type, String reason, String message) {
        try {
            Key key = new Key(namespace, target.kind(), target.name(), type, reason,
                    type == Type.NORMAL ? message : null);
            Instant now = clock.instant();
            Series s = series.computeIfAbsent(key, k -> new Series());
            synchronized (s) {
                if (s.eventName != null && !now.isBefore(s.createdAt.plus(SERIES))) {
                    // The window is over: send what is still counted here to the old object, then start a new one.
                    if (s.count > s.written) {
                        patch(key, target, s, false);
                    }
                    reset(s);
                }
                s.count++;
                s.firstSeen = s.firstSeen == null ? now : s.firstSeen;
                s.lastSeen = now;
                s.message = truncate(message);
                if (s.lastWrite != null && now.isBefore(s.lastWrite.plus(PATCH_EVERY))) {
                    return; // counted; goes out with the next write
                }
                s.lastWrite = now;
                if (s.eventName == null) {
                    create(key, target, s, now);
                } else {
                    patch(key, target, s, true);
                }
            }
        } catch (RuntimeException e) {
            logOnce("unexpected " + e.getClass().getName(), -1, "Events for " + namespace + "/" + target.name()
                    + " could not be recorded (" + e.getClass().getSimpleName() + "); scaling is not affected");
        }
    }

    private static void reset(Series s) {
        s.eventName = null;
        s.createdAt = null;
        s.firstSeen = null;
        s.lastWrite = null;
        s.count = 0;
        s.written = 0;
    }

    private void create(Key key, ScaleTargetRef target, Series s, Instant now) {
        String name = target.name() + "." + String.format("%016x", uniqueNanos(now));
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(key.namespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(target.apiVersion()).withKind(target.kind())
                .withName(target.name()).withNamespace(key.namespace()).withUid(uid(key.namespace(), target))
                .endInvolvedObject()
                .withType(key.type() == Type.NORMAL ? "Normal" : "Warning")
                .withReason(key.reason())
                .withMessage(s.message)
                .withNewSource().withComponent(COMPONENT).withHost(reportingInstance).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(reportingInstance)
                .withFirstTimestamp(time(s.firstSeen))
                .withLastTimestamp(time(s.lastSeen))
                .withCount(s.count)
                .build();
        try {
            client.v1().events().inNamespace(key.namespace()).resource(event).create();
            s.eventName = name;
            s.createdAt = now;
            s.written = s.count;
            loggedCauses.remove("create " + key.namespace());
        } catch (KubernetesClientException e) {
            failed("create", key.namespace(), e);
        }
    }

    /** @param recreate on 404, create a new object carrying the series (not when closing a series that is over) */
    private void patch(Key key, ScaleTargetRef target, Series s, boolean recreate) {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("count", s.count);
        changes.put("lastTimestamp", time(s.lastSeen));
        changes.put("message", s.message);
        try {
            String body = JSON.writeValueAsString(changes);
            // Patching through a stub item: withName(..).patch(..) would GET the Event first, which needs "get".
            Event stub = new EventBuilder().withNewMetadata().withName(s.eventName).withNamespace(key.namespace())
                    .endMetadata().build();
            client.v1().events().inNamespace(key.namespace()).resource(stub)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), body);
            s.written = s.count;
            loggedCauses.remove("patch " + key.namespace());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of a number and two strings is always JSON", e);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 && !recreate) {
                return; // the old object is gone and its window over: nothing to add to
            }
            if (e.getCode() == 404) {
                // Someone deleted it (or it expired): as client-go does, create a new object with the series' count.
                s.eventName = null;
                create(key, target, s, clock.instant());
                return;
            }
            failed("patch", key.namespace(), e);
        }
    }

    /**
     * The target's uid, which kubectl describe selects Events by; read from its /scale and kept for {@link #SERIES}
     * (a Deployment deleted and created again under the same name has a new uid). Null if unreadable.
     */
    private String uid(String namespace, ScaleTargetRef target) {
        Target t = new Target(namespace, target.apiVersion(), target.kind(), target.name());
        Uid known = uids.get(t);
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.readAt().plus(SERIES))) {
            return known.uid();
        }
        try {
            Scale scale = client.genericKubernetesResources(ScaleResources.of(target))
                    .inNamespace(namespace).withName(target.name()).scale();
            String uid = scale == null || scale.getMetadata() == null ? null : scale.getMetadata().getUid();
            if (uid != null) {
                uids.put(t, new Uid(uid, now));
            }
            return uid;
        } catch (KubernetesClientException e) {
            // The Event still goes out (kubectl get events shows it); describe finds it once a later one has the uid.
            return null;
        }
    }

    private void failed(String verb, String namespace, KubernetesClientException e) {
        int code = e.getCode();
        String what = "cannot " + verb + " Events in namespace " + namespace;
        String consequence = "; scaling is not affected, only its Events are missing";
        if (code == 401 || code == 403) {
            logOnce(verb + " " + namespace, code, what + " (" + code + " forbidden): the agent's ServiceAccount "
                    + "needs a Role in namespace " + namespace + " with the rule " + RBAC_RULE + consequence);
        } else {
            logOnce(verb + " " + namespace, code, what + " (" + (code < 100 ? "no answer" : "HTTP " + code)
                    + ": " + e.getClass().getSimpleName() + ")" + consequence + "; later occurrences try again");
        }
    }

    /** WARN the first time, DEBUG while the same failure goes on; a success in between makes the next one a WARN. */
    private void logOnce(String where, int code, String message) {
        Integer before = loggedCauses.put(where, code);
        if (before == null || before != code) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }

    /** client-go names Events {@code <object>.<unix nanos in hex>}; nanos kept increasing so two never collide. */
    private long uniqueNanos(Instant now) {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return lastNameNanos.accumulateAndGet(nanos, (last, candidate) -> candidate > last ? candidate : last + 1);
    }

    /** At most {@link #MESSAGE_LIMIT} bytes of UTF-8, cut on a character boundary, "..." marking the cut. */
    static String truncate(String message) {
        String m = message == null ? "" : message;
        if (m.getBytes(StandardCharsets.UTF_8).length <= MESSAGE_LIMIT) {
            return m;
        }
        int budget = MESSAGE_LIMIT - 3;
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < m.length(); ) {
            int cp = m.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return cut.append("...").toString();
    }

    /** Event timestamps are RFC 3339 to the second. */
    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
