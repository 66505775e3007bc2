package io.ddbstreamscaler.election;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddbstreamscaler.scale.KubeClients;
import io.ddbstreamscaler.simulator.KubeApiSimulator;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each Lease write of {@link LeaseWrites} at the wire, against the Kubernetes simulator: what it writes, how it reads
 * 409 (an answer) and 404 apart from failures, the moves it counts, and its WARN once per cause.
 */
class LeaseWritesTest {

    static final String NS = "agents";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String MEMBER = "ddbstream-scaler-member-agent-0";
    static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases";
    static final String KEEPS = "; agent-0 keeps the ScaledObject groups it leads (for at most a lease duration without a"
            + " renewal) and takes none until the API answers";

    KubeApiSimulator kube;
    KubernetesClient client;
    LeaseWrites writes;
    ListAppender<ILoggingEvent> lines;

    @BeforeEach
    void start() throws IOException {
        kube = KubeApiSimulator.start();
        Path kubeconfig = Files.createTempFile("writes", ".kubeconfig");
        client = KubeClients.create(kube.writeKubeconfig(kubeconfig, NS));
        Files.delete(kubeconfig);
        writes = new LeaseWrites(client, NS, "agent-0", Duration.ofSeconds(15), true);
        lines = new ListAppender<>();
        lines.start();
        logger().addAppender(lines);
    }

    @AfterEach
    void stop() {
        logger().detachAppender(lines);
        client.close();
        kube.close();
    }

    // ---- acquire: the holder, the times, the transitions a take adds

    static Stream<Arguments> takes() {
        return Stream.of(
                // name, spec of the Lease before (null: no Lease; "no spec": a Lease without spec), transitions after
                Arguments.of("no Lease: created with 0 transitions", null, 0),
                Arguments.of("a Lease without spec: a change of holder", "no spec", 1),
                Arguments.of("held by agent-1 after 3 transitions: one more", spec("agent-1", 3), 4),
                Arguments.of("released (no holder) after 3 transitions: one more", spec(null, 3), 4),
                Arguments.of("held by agent-1, no transitions recorded: the first", spec("agent-1", null), 1),
                Arguments.of("held by agent-0 itself after 3 transitions (an earlier life): no change", spec("agent-0", 3),
                        3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("takes")
    void acquireNamesThisAgentWithTheLeaseDurationAndCountsTransitions(String name, Object before, int transitions) {
        Lease lease = before == null ? null : group("leaders-g", before instanceof LeaseSpec s ? s : null);
        Lease taken = writes.acquire("g", lease, NOW);
        assertEquals("agent-0", taken.getSpec().getHolderIdentity());
        assertEquals(15, taken.getSpec().getLeaseDurationSeconds());
        assertEquals(transitions, taken.getSpec().getLeaseTransitions());
        assertEquals(NOW, taken.getSpec().getAcquireTime().toInstant());
        assertEquals(NOW, taken.getSpec().getRenewTime().toInstant());
        assertEquals("agent-0", LeaseSpread.holderOf(stored("leaders-g")), "on the API server");
        assertEquals(LeaseSpread.SCALEDOBJECT, taken.getMetadata().getLabels().get(LeaseSpread.LEASE_LABEL));
        assertEquals(1, writes.moves(), "a take is a move");
    }

    @Test
    void aLeaseDurationUnderASecondIsWrittenAsOneSecond() {
        LeaseWrites shortLease = new LeaseWrites(client, NS, "agent-0", Duration.ofMillis(500), true);
        assertEquals(1, shortLease.acquire("g", null, NOW).getSpec().getLeaseDurationSeconds());
    }

    /** 409 (the Lease changed since it was read, or another agent created it first): null, no WARN, no move. */
    @Test
    void anotherAgentWritingFirstIsAnAnswerNotAnError() {
        Lease read = group("leaders-g", spec(null, 0));
        client.leases().inNamespace(NS).resource(new LeaseBuilder(read).editSpec().withHolderIdentity("agent-1")
                .endSpec().build()).update();
        writes.beginPass();
        assertNull(writes.acquire("g", read, NOW), "update with the version read");
        assertNull(writes.acquire("g", null, NOW), "create of a Lease that exists");
        assertEquals("agent-1", LeaseSpread.holderOf(stored("leaders-g")));
        assertEquals(0, writes.moves());
        assertEquals(List.of(), warnings());
    }

    @Test
    void aRefusedTakeIsAWarningAndNull() {
        Lease read = group("leaders-g", spec(null, 0));
        kube.dispatcher().inject("PUT", LEASES + "/leaders-g", 403, -1);
        writes.beginPass();
        assertNull(writes.acquire("g", read, NOW));
        assertEquals(0, writes.moves());
        assertEquals(List.of("Lease spread: update leases agents/leaders-g was forbidden (403): the agent's "
                + "ServiceAccount needs a Role in namespace agents with the rule {apiGroups: [\"coordination.k8s.io\"], "
                + "resources: [\"leases\"], resourceNames: [\"leaders-g\"], verbs: [\"update\"]} (see "
                + "k8s/base/role.yaml)" + KEEPS), warnings());
    }

    // ---- release, tombstone, delete

    @Test
    void releaseClearsTheHolderAndReturnsTheLeaseAsWritten() {
        Lease held = group("leaders-g", spec("agent-0", 2));
        Lease released = writes.release("g", held);
        assertNull(released.getSpec().getHolderIdentity());
        assertNotEquals(held.getMetadata().getResourceVersion(), released.getMetadata().getResourceVersion());
        assertEquals(released.getMetadata().getResourceVersion(), stored("leaders-g").getMetadata().getResourceVersion());
        assertNull(LeaseSpread.holderOf(stored("leaders-g")));
        assertEquals(1, writes.moves(), "a hand-over is a move");
        writes.beginPass();
        assertEquals(0, writes.moves(), "counted per pass");
        assertNull(writes.release("g", held), "a second release with the old version: 409");
    }

    @Test
    void aTombstoneClearsTheHolderAndNamesWhoWroteItAndIsNoMove() {
        Lease membership = member("ddbstream-scaler-member-agent-1", "agent-1");
        Lease stone = writes.tombstone(membership);
        assertNull(stone.getSpec().getHolderIdentity());
        assertEquals("agent-0", stone.getMetadata().getAnnotations().get(LeaseSpread.EXPIRED_BY));
        assertEquals(0, writes.moves(), "membership Leases are not ScaledObject groups");
        assertNull(writes.tombstone(membership), "the member renewed meanwhile: 409, null");
        assertEquals(List.of(), warnings());
    }

    @Test
    void aLeaseWithoutLabelsIsWrittenButNoMove() {
        Lease bare = client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("bare")
                .endMetadata().withNewSpec().withHolderIdentity("agent-0").endSpec().build()).create();
        assertNull(writes.release("bare", bare).getSpec().getHolderIdentity());
        assertEquals(0, writes.moves());
    }

    /** The API server refuses a delete whose resourceVersion precondition fails (409; the simulator ignores them). */
    @Test
    void aDeleteRefusedForItsVersionIsNoWarningAndASuccessIsAMove() {
        Lease read = group("leaders-old", spec("agent-0", 0));
        kube.dispatcher().inject("DELETE", LEASES + "/leaders-old", 409, 1);
        writes.delete(read);
        assertEquals("agent-0", LeaseSpread.holderOf(stored("leaders-old")), "409: kept");
        assertEquals(0, writes.moves());
        assertEquals(List.of(), warnings());
        writes.delete(read);
        assertNull(client.leases().inNamespace(NS).withName("leaders-old").get());
        assertEquals(1, writes.moves());
        assertTrue(kube.requests().stream().anyMatch(r -> r.method().equals("DELETE")
                && r.body().contains("\"resourceVersion\":\"" + read.getMetadata().getResourceVersion() + "\"")),
                "the version read is the delete's precondition");
    }

    @Test
    void aRefusedDeleteIsAWarning() {
        Lease read = group("leaders-old", spec("agent-0", 0));
        kube.dispatcher().inject("DELETE", LEASES + "/leaders-old", 403, -1);
        writes.delete(read);
        assertEquals(0, writes.moves());
        assertEquals(List.of(forbidden("delete", "leaders-old")), warnings());
    }

    @Test
    void deleteMembershipDeletesItOrWarns() {
        member(MEMBER, "agent-0");
        kube.dispatcher().inject("DELETE", LEASES + "/" + MEMBER, 403, 1);
        writes.deleteMembership();
        assertEquals(List.of(forbidden("delete", MEMBER)), warnings());
        writes.deleteMembership();
        assertNull(client.leases().inNamespace(NS).withName(MEMBER).get());
    }

    // ---- the membership renewal

    @Test
    void theFirstRenewalRegistersWithThePodAsOwnerAndTheNamingsMark() {
        Lease first = writes.renewMembership(null, NOW, "uid-0");
        assertFalse(writes.chainBroken());
        assertEquals("agent-0", first.getSpec().getHolderIdentity());
        assertEquals(NOW, first.getSpec().getRenewTime().toInstant());
        assertEquals(15, first.getSpec().getLeaseDurationSeconds());
        assertEquals(LeaseSpread.MEMBER, first.getMetadata().getLabels().get(LeaseSpread.LEASE_LABEL));
        assertEquals(List.of("v1/Pod/agent-0/uid-0"), owners(first));
        assertTrue(LeaseWrites.announcesHashedNames(first));
        Lease second = writes.renewMembership(first, NOW.plusSeconds(2), "uid-0");
        assertEquals(NOW.plusSeconds(2), second.getSpec().getRenewTime().toInstant());
        assertNotEquals(first.getMetadata().getResourceVersion(), second.getMetadata().getResourceVersion());
        assertFalse(writes.chainBroken());
    }

    @Test
    void withoutAPodUidTheMembershipHasNoOwner() {
        assertEquals(List.of(), owners(writes.renewMembership(null, NOW, null)));
    }

    @Test
    void anAgentOfAnEarlierVersionWritesNoMark() {
        LeaseWrites old = new LeaseWrites(client, NS, "agent-0", Duration.ofSeconds(15), false);
        Lease first = old.renewMembership(null, NOW, null);
        assertFalse(LeaseWrites.announcesHashedNames(first));
        assertFalse(LeaseWrites.announcesHashedNames(new LeaseBuilder().withNewMetadata().endMetadata().build()),
                "no annotations at all");
    }

    static Stream<Arguments> renewals() {
        return Stream.of(
                // name, status the first PUT of the renewal gets, chain broken, renewed
                Arguments.of("409: a peer tombstoned it, registered afresh", 409, true, true),
                Arguments.of("404: deleted, registered afresh", 404, true, true),
                Arguments.of("403: a failure, not a break", 403, false, false),
                Arguments.of("422: a failure, not a break", 422, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renewals")
    void aRenewalTellsABreakFromAFailure(String name, int status, boolean broken, boolean renewed) {
        Lease first = writes.renewMembership(null, NOW, "uid-0");
        kube.dispatcher().inject("PUT", LEASES + "/" + MEMBER, status, 1);
        Lease after = writes.renewMembership(first, NOW.plusSeconds(2), "uid-0");
        assertEquals(broken, writes.chainBroken());
        assertEquals(renewed, after != null);
        assertEquals(renewed ? List.of() : List.of("update leases"), warnings().stream()
                .map(w -> w.substring("Lease spread: ".length(), "Lease spread: update leases".length())).toList());
    }

    static Stream<Arguments> registrationRefusals() {
        return Stream.of(
                // name, what is refused with 403, the verb the WARN names
                Arguments.of("the GET after a 409", "GET", "get leases"),
                Arguments.of("the create after a 404", "POST", "create leases"));
    }

    /** After a broken chain the renewal reads the Lease, then creates it: a refusal names the request that failed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("registrationRefusals")
    void aRefusedRegistrationNamesTheVerbThatWasRefused(String name, String method, String verbAndResource) {
        Lease first = writes.renewMembership(null, NOW, "uid-0");
        kube.client().leases().inNamespace(NS).withName(MEMBER).delete();
        kube.dispatcher().inject(method, LEASES + ("GET".equals(method) ? "/" + MEMBER : ""), 403, 1);
        assertNull(writes.renewMembership(first, NOW.plusSeconds(2), "uid-0"));
        assertEquals(List.of(verbAndResource), warnings().stream()
                .map(w -> w.substring("Lease spread: ".length(), "Lease spread: ".length() + verbAndResource.length()))
                .toList());
    }

    /** A peer's tombstone (its mark, no holder) makes the renewal 409; the next registration removes the mark. */
    @Test
    void aTombstonedMembershipIsReclaimedWithoutTheMark() {
        Lease first = writes.renewMembership(null, NOW, "uid-0");
        new LeaseWrites(client, NS, "agent-1", Duration.ofSeconds(15), true).tombstone(first);
        Lease again = writes.renewMembership(first, NOW.plusSeconds(20), "uid-0");
        assertTrue(writes.chainBroken());
        assertEquals("agent-0", again.getSpec().getHolderIdentity());
        assertNull(again.getMetadata().getAnnotations().get(LeaseSpread.EXPIRED_BY));
        assertEquals(List.of("v1/Pod/agent-0/uid-0"), owners(again), "the owner it was created with");
        assertFalse(writes.renewMembership(again, NOW.plusSeconds(22), "uid-0") == null || writes.chainBroken());
    }

    // ---- failed(): which answers are explained, and one WARN per cause

    static Stream<Arguments> failures() {
        String role = " was forbidden (%d): the agent's ServiceAccount needs a Role in namespace agents with the rule "
                + "{apiGroups: [\"coordination.k8s.io\"], resources: [\"leases\"], resourceNames: [\"leaders-g\"], "
                + "verbs: [\"update\"]} (see k8s/base/role.yaml)";
        String unavailable = ": the Kubernetes API server is unavailable%s: KubernetesClientException: boom; replicas are "
                + "left as they are and the next poll tries again";
        return Stream.of(
                // name, status code, the WARN's cause part
                Arguments.of("401", 401, "update leases agents/leaders-g" + role.formatted(401)),
                Arguments.of("403", 403, "update leases agents/leaders-g" + role.formatted(403)),
                Arguments.of("no answer (0)", 0, "update leases agents/leaders-g" + unavailable.formatted("")),
                Arguments.of("429", 429, "update leases agents/leaders-g" + unavailable.formatted(" (429)")),
                Arguments.of("500", 500, "update leases agents/leaders-g" + unavailable.formatted(" (500)")),
                Arguments.of("503", 503, "update leases agents/leaders-g" + unavailable.formatted(" (503)")),
                Arguments.of("404", 404, "update leases agents/leaders-g: the API server answered 404: boom"),
                Arguments.of("422", 422, "update leases agents/leaders-g: the API server answered 422: boom"),
                Arguments.of("499", 499, "update leases agents/leaders-g: the API server answered 499: boom"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailureIsExplainedInItsWarning(String name, int code, String cause) {
        writes.failed("update", "coordination.k8s.io", "leases", "leaders-g", new KubernetesClientException("boom", code,
                null));
        assertEquals(List.of("Lease spread: " + cause + KEEPS), warnings());
    }

    /** Once per (verb, resource, status) until a pass without failures, which says the API answers again. */
    @Test
    void oneWarningPerCauseUntilAPassGoesThrough() {
        writes.beginPass();
        fail("update", 403);
        fail("update", 403);
        fail("update", 500);
        fail("list", 403);
        writes.endPass();
        assertEquals(List.of("WARN update 403", "WARN update 500", "WARN list 403"), lines(), "a failed pass: no INFO");
        lines.list.clear();
        writes.beginPass();
        fail("update", 403);
        writes.endPass();
        assertEquals(List.of(), lines(), "still failing: nothing new");
        writes.beginPass();
        writes.endPass();
        assertEquals(List.of("INFO the Kubernetes API server answers agent-0 again"), lines());
        lines.list.clear();
        writes.beginPass();
        writes.endPass();
        assertEquals(List.of(), lines(), "said once");
        writes.beginPass();
        fail("update", 403);
        writes.endPass();
        assertEquals(List.of("WARN update 403"), lines(), "a new outage warns again");
    }

    // ---- helpers

    void fail(String verb, int code) {
        writes.failed(verb, "coordination.k8s.io", "leases", "leaders-g", new KubernetesClientException("boom", code,
                null));
    }

    /** Each line as LEVEL and its gist: the verb and status of a WARN, the text after "Lease spread: " of an INFO. */
    List<String> lines() {
        return lines.list.stream().map(e -> {
            String text = e.getFormattedMessage().substring("Lease spread: ".length());
            if (e.getLevel() == Level.WARN) {
                String[] words = text.split(" ");
                int code = text.contains("(403)") ? 403 : text.contains("(500)") ? 500 : -1;
                return "WARN " + words[0] + " " + code;
            }
            return e.getLevel() + " " + text;
        }).toList();
    }

    static LeaseSpec spec(String holder, Integer transitions) {
        LeaseSpec spec = new LeaseSpec();
        spec.setHolderIdentity(holder);
        spec.setLeaseTransitions(transitions);
        return spec;
    }

    Lease group(String name, LeaseSpec spec) {
        return client.leases().inNamespace(NS).resource(LeaseSpread.newLease(NS, name, LeaseSpread.SCALEDOBJECT)
                .withSpec(spec).build()).create();
    }

    Lease member(String name, String holder) {
        return client.leases().inNamespace(NS).resource(LeaseSpread.newLease(NS, name, LeaseSpread.MEMBER)
                .withNewSpec().withHolderIdentity(holder).withRenewTime(NOW.atZone(ZoneOffset.UTC)).endSpec().build())
                .create();
    }

    Lease stored(String name) {
        return client.leases().inNamespace(NS).withName(name).get();
    }

    String forbidden(String verb, String name) {
        return "Lease spread: " + verb + " leases agents/" + name + " was forbidden (403): the agent's ServiceAccount "
                + "needs a Role in namespace agents with the rule {apiGroups: [\"coordination.k8s.io\"], resources: "
                + "[\"leases\"], resourceNames: [\"" + name + "\"], verbs: [\"" + verb + "\"]} (see k8s/base/role.yaml)"
                + KEEPS;
    }

    static List<String> owners(Lease lease) {
        return lease.getMetadata().getOwnerReferences().stream()
                .map(o -> o.getApiVersion() + "/" + o.getKind() + "/" + o.getName() + "/" + o.getUid()).toList();
    }

    List<String> warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    static ch.qos.logback.classic.Logger logger() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LeaseSpread.class);
    }
}
