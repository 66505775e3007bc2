package io.ddbstreamscaler.camel;

import io.ddbstreamscaler.election.ElectionTiming;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.HasExpressionType;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.apache.camel.util.TimeUtils;
import org.apache.camel.util.URISupport;

import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What the Java side needs from the route files, checked when they load: a set that breaks it is refused like one that
 * does not parse, and the last good routes keep running. Everything else (the sinks, their order, a parallel
 * multicast, log steps, the error handling) is the user's to edit.
 *
 * <ul>
 *   <li>the three routes: {@code poll-dispatch} calls {@code schedule.due}; {@code scale-loop} calls, in this order,
 *       {@code stream.probe} (which opens the poll and registers its completion), {@code policy.decide} and
 *       {@code scale.write}; {@code lease-spread} calls {@code leases.pass};</li>
 *   <li>every bean a route names is one the agent binds;</li>
 *   <li>{@code lease-spread}'s timer passes at least three times within a lease duration ({@link ElectionTiming}); the
 *       shipped route takes its period from {@value #LEASE_PASS_PERIOD}, which the agent sets from the same place.</li>
 * </ul>
 */
final class RouteContract {

    /** A bean step the Java side relies on. */
    record Step(String bean, String method) {
        @Override
        public String toString() {
            return bean + "." + method;
        }
    }

    /** The property the lease-spread route's timer period comes from, in milliseconds. */
    static final String LEASE_PASS_PERIOD = "scaler.lease-pass-period";

    static final String DISPATCH = "poll-dispatch";
    static final String LOOP = "scale-loop";
    static final String LEASES = "lease-spread";
    /** The routes the agent needs, each with the bean steps it must call (in this order, for the scale loop). */
    static final Map<String, List<Step>> REQUIRED = Map.of(
            DISPATCH, List.of(new Step("schedule", "due")),
            LOOP, List.of(new Step("stream", "probe"), new Step("policy", "decide"), new Step("scale", "write")),
            LEASES, List.of(new Step("leases", "pass")));

    private RouteContract() {
    }

    /**
     * @param bound       whether the agent binds a bean of that name
     * @param resolve     resolves property placeholders as the running agent would
     * @param election    the agent's election periods
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    static void check(Model model, Predicate<String> bound, UnaryOperator<String> resolve, ElectionTiming election) {
        List<String> problems = new ArrayList<>();
        for (String id : List.of(DISPATCH, LOOP, LEASES)) {
            RouteDefinition route = model.getRouteDefinition(id);
            if (route == null) {
                problems.add("no route with id '" + id + "' in the route files: the agent needs poll-dispatch (the "
                        + "schedule), scale-loop (one poll) and lease-spread (leader election)");
                continue;
            }
            List<Step> called = new ArrayList<>();
            // The error handling a route configuration adds to the route is not one of its steps.
            walk(route.getOutputs().stream().filter(p -> !(p instanceof OnExceptionDefinition)).toList(), p -> {
                if (p instanceof BeanDefinition b) {
                    called.add(new Step(b.getRef(), b.getMethod()));
                }
            });
            List<Step> needed = REQUIRED.get(id);
            if (!inOrder(called, needed)) {
                problems.add("route '" + id + "' must call " + describe(needed) + " but calls " + describe(called));
            }
        }
        Set<String> unbound = new TreeSet<>();
        Consumer<ProcessorDefinition<?>> beansOf = p -> {
            if (p instanceof BeanDefinition b && b.getRef() != null && !bound.test(b.getRef())) {
                unbound.add(b.getRef());
            }
            if (p instanceof HasExpressionType e) {
                methodRef(e.getExpressionType(), bound, unbound);
            }
            if (p instanceof OnExceptionDefinition on && on.getOnWhen() != null) {
                methodRef(on.getOnWhen().getExpressionType(), bound, unbound);
            }
        };
        model.getRouteDefinitions().forEach(r -> walk(r.getOutputs(), beansOf));
        for (RouteConfigurationDefinition c : model.getRouteConfigurationDefinitions()) {
            c.getOnExceptions().forEach(on -> {
                beansOf.accept(on);
                walk(on.getOutputs(), beansOf);
            });
        }
        if (!unbound.isEmpty()) {
            problems.add("the routes name beans the agent does not have: " + unbound);
        }
        RouteDefinition leases = model.getRouteDefinition(LEASES);
        if (leases != null) {
            leasePassProblem(resolve.apply(leases.getInput().getEndpointUri()), election).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static java.util.Optional<String> leasePassProblem(String uri, ElectionTiming election) {
        if (!uri.startsWith("timer:")) {
            return java.util.Optional.of("route 'lease-spread' must start from a timer, not " + uri);
        }
        long period = 1000; // the timer's own default
        int query = uri.indexOf('?');
        if (query >= 0) {
            try {
                Object value = URISupport.parseQuery(uri.substring(query + 1)).get("period");
                if (value != null) {
                    period = TimeUtils.toMilliSeconds(value.toString());
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                return java.util.Optional.of("route 'lease-spread': cannot read its period from " + uri);
            }
        }
        try {
            new ElectionTiming(election.leaseDuration(), Duration.ofMillis(period));
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("route 'lease-spread': " + e.getMessage() + " (leave its period at "
                    + "{{" + LEASE_PASS_PERIOD + "}}, " + election.passPeriod().toMillis() + " ms)");
        }
    }

    /** Whether {@code needed} appear in {@code called} in this order (other steps may stand between them). */
    private static boolean inOrder(List<Step> called, List<Step> needed) {
        int next = 0;
        for (Step step : called) {
            if (next < needed.size() && step.equals(needed.get(next))) {
                next++;
            }
        }
        return next == needed.size();
    }

    private static String describe(List<Step> steps) {
        return steps.isEmpty() ? "no bean" : steps.stream().map(Step::toString).toList().toString();
    }

    private static void methodRef(ExpressionDefinition expression, Predicate<String> bound, Set<String> unbound) {
        if (expression instanceof MethodCallExpression m && m.getRef() != null && !bound.test(m.getRef())) {
            unbound.add(m.getRef());
        }
    }

    /** Every step under {@code outputs}, depth first, branches of a choice included. */
    private static void walk(List<ProcessorDefinition<?>> outputs, Consumer<ProcessorDefinition<?>> visit) {
        for (ProcessorDefinition<?> p : outputs) {
            visit.accept(p);
            if (p instanceof ChoiceDefinition choice) {
                // A when's expression is a simple predicate here; its steps are walked.
                choice.getWhenClauses().forEach(w -> walk(w.getOutputs(), visit));
                if (choice.getOtherwise() != null) {
                    walk(choice.getOtherwise().getOutputs(), visit);
                }
            } else {
                walk(p.getOutputs(), visit);
            }
        }
    }
}
