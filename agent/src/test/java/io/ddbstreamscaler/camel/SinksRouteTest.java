package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.schedule.PollTest;

import io.ddbstreamscaler.schedule.Poll;
import io.ddbstreamscaler.schedule.TriggerOutcome;

import io.ddbstreamscaler.schedule.ScaledObjectStore;

import io.ddbstreamscaler.observe.ScalerMetrics;
import io.ddbstreamscaler.scale.ScaleTarget;
import io.ddbstreamscaler.trigger.ScaleTargetRef;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped sink routes (routes/sinks.camel.yaml + error-handling.camel.yaml) with camel-test-junit5: the Kubernetes
 * producer is woven out for a mock endpoint and the scale port is a recording fake, so each branch is checked.
 */
class SinksRouteTest extends CamelTestSupport {

    /** Records every write the scale bean makes. */
    static final class RecordingScaleTarget implements ScaleTarget {
        final List<String> writes = new ArrayList<>();

        @Override
        public int currentReplicas(String namespace, ScaleTargetRef ref) {
            return 1;
        }

        @Override
        public ScaleResult scale(String namespace, ScaleTargetRef ref, int desiredReplicas) {
            writes.add(namespace + "/" + ref.kind() + "/" + ref.name() + "=" + desiredReplicas);
            return new ScaleResult(1, desiredReplicas, true, 1);
        }
    }

    final RecordingScaleTarget scaleTarget = new RecordingScaleTarget();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ScaledObjectStore store = new ScaledObjectStore();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        ScalerMetrics metrics = new ScalerMetrics(this.registry);
        registry.bind("scale", new ScaleStage(scaleTarget, metrics, store));
        registry.bind("metrics", new MetricsSink(metrics, store, Clock.systemUTC()));
        EventsSink events = new EventsSink(EventsSink.Recorder.NONE, store, false);
        registry.bind("events", events);
        registry.bind("failures", new FailureSink(metrics, store, Clock.systemUTC(), events));
        registry.bind("metricsRegistry", this.registry);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        // The sinks and the error handling, as the agent loads them from the routes folder.
        var resources = new RouteFolder(Path.of("routes")).read().stream()
                .filter(r -> !r.getLocation().endsWith("scale-loop.camel.yaml")).toList();
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources).toArray(RoutesBuilder[]::new);
    }

    private MockEndpoint kubernetes() throws Exception {
        AdviceWith.adviceWith(context, "scale", a -> a.weaveByToUri("kubernetes-deployments*").replace().to("mock:kubernetes"));
        context.start();
        return getMockEndpoint("mock:kubernetes");
    }

    private Poll poll(ScaleTargetRef target, int current, int desired, boolean dryRun) {
        var trigger = PollTest.trigger("orders", true);
        var config = PollTest.config(target, trigger);
        store.put(config, java.time.Instant.now());
        return new Poll(config, List.of(TriggerOutcome.of(trigger, PollTest.SIX_SHARDS)), PollTest.decision(current, desired),
                dryRun, System.nanoTime());
    }

    @Test
    void aDeploymentChangeGoesToCamelKubernetesWithItsHeaders() throws Exception {
        MockEndpoint k8s = kubernetes();
        k8s.expectedMessageCount(1);
        k8s.expectedHeaderReceived("CamelKubernetesNamespaceName", "shop");
        k8s.expectedHeaderReceived("CamelKubernetesDeploymentName", "consumer");
        k8s.expectedHeaderReceived("CamelKubernetesDeploymentReplicas", 3);
        template.sendBody("direct:scale", poll(PollTest.DEPLOYMENT, 1, 3, false));
        k8s.assertIsSatisfied();
        assertTrue(scaleTarget.writes.isEmpty());
        assertEquals(1.0, registry.find("ddbstream.scaler.scale.writes").tag("direction", "up").counter().count());
    }

    @Test
    void noChangeAndDryRunWriteNothing() throws Exception {
        MockEndpoint k8s = kubernetes();
        k8s.expectedMessageCount(0);
        template.sendBody("direct:scale", poll(PollTest.DEPLOYMENT, 3, 3, false));
        template.sendBody("direct:scale", poll(PollTest.DEPLOYMENT, 1, 3, true));
        template.sendBody("direct:scale", poll(new ScaleTargetRef("apps/v1", "StatefulSet", "s"), 1, 3, true));
        k8s.assertIsSatisfied();
        assertTrue(scaleTarget.writes.isEmpty());
    }

    @Test
    void otherKindsGoThroughTheScaleBean() throws Exception {
        MockEndpoint k8s = kubernetes();
        k8s.expectedMessageCount(0);
        template.sendBody("direct:scale", poll(new ScaleTargetRef("apps/v1", "StatefulSet", "readers"), 4, 2, false));
        template.sendBody("direct:scale", poll(new ScaleTargetRef("argoproj.io/v1alpha1", "Rollout", "web"), 1, 5, false));
        k8s.assertIsSatisfied();
        assertEquals(List.of("shop/StatefulSet/readers=2", "shop/Rollout/web=5"), scaleTarget.writes);
    }

    @Test
    void aConflictIsRedeliveredToTheProducer() throws Exception {
        MockEndpoint k8s = kubernetes();
        k8s.whenExchangeReceived(1, e -> {
            throw new KubernetesClientException("the object has been modified", 409, null);
        });
        k8s.expectedMessageCount(2);
        template.sendBody("direct:scale", poll(PollTest.DEPLOYMENT, 1, 3, false));
        k8s.assertIsSatisfied();
        assertEquals(1.0, registry.find("ddbstream.scaler.scale.writes").counter().count(), "one write counted");
    }

    @Test
    void aForbiddenWriteIsReportedAndTheRouteCarriesOn() throws Exception {
        MockEndpoint k8s = kubernetes();
        k8s.whenAnyExchangeReceived(e -> {
            throw new KubernetesClientException("forbidden", 403, null);
        });
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.ddbstreamscaler.failure");
        var lines = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        lines.start();
        logger.addAppender(lines);
        // The scale-loop template sets this header on every poll; the error handler names the ScaledObject with it.
        Poll poll = poll(PollTest.DEPLOYMENT, 1, 3, false);
        template.sendBodyAndHeader("direct:scale", poll, StreamStage.SCALED_OBJECT_HEADER, "shop/orders");
        assertEquals(1.0, registry.find("keda.scaled.object.errors").tag("scaledObject", "orders").counter().count());
        assertEquals(null, registry.find("ddbstream.scaler.scale.writes").tag("outcome", "success").counter(), "no write counted");
        assertEquals(1.0, registry.find("ddbstream.scaler.scale.writes").tag("outcome", "failure").counter().count());
        logger.detachAppender(lines);
        String line = lines.list.get(0).getFormattedMessage();
        assertTrue(line.contains("writing 3 replicas to Deployment shop/consumer failed, replicas left at 1")
                && line.contains("update deployments/scale shop/consumer was forbidden (403)")
                && line.contains("resources: [\"deployments/scale\"], resourceNames: [\"consumer\"], verbs: [\"update\"]"), line);
        // The sinks after the scale sink see the failure: the decision line says so, never a scale that did not happen.
        assertTrue(poll.writeFailed());
        assertTrue(poll.getLogLine().contains("(write failed: forbidden (403), replicas left at 1)"), poll.getLogLine());
    }
}
