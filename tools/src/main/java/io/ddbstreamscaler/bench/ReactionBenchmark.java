package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.simulator.aws.LoggedRequest;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Row 3: from a shard split in the AWS simulator to the write of /scale in the Kubernetes simulator, pollingInterval
 * 5 s, the shipped agent in its own JVM. Splits come at random moments of the poll cycle (fixed seed), so the figures
 * span the whole wait for the next poll; the target is one interval plus 1 s.
 */
public final class ReactionBenchmark implements BenchScenario {

    static final int POLLING_INTERVAL = 5;
    static final Duration TARGET = Duration.ofSeconds(POLLING_INTERVAL + 1);

    @Override
    public String name() {
        return "reaction";
    }

    @Override
    public String description() {
        return "seconds from a shard split to the /scale write, pollingInterval 5 s, over --splits splits";
    }

    @Override
    public List<Figure> run(BenchSettings settings, PrintStream out) throws Exception {
        String what = "reaction, split -> PUT /scale (min / median / max)";
        if (!AgentJar.usable(settings, out, name())) {
            return List.of(Figure.notRun(3, what, "no agent jar"));
        }
        Path work = Files.createTempDirectory("bench-reaction");
        String deployment = FleetYaml.deployment(1);
        String table = FleetYaml.table(1);
        List<Instant> splits = new ArrayList<>();
        try (SimulatedFleet fleet = new SimulatedFleet(work, 1, POLLING_INTERVAL, 1, true, 1, 1);
             ExternalAgent agent = ExternalAgent.start(AgentJar.launch(settings, fleet, work, List.of()))) {
            out.printf("reaction: %d splits, pollingInterval %d s, agent pid %d (log %s)%n", settings.splits(),
                    POLLING_INTERVAL, agent.pid(), agent.logFile());
            if (!Waits.until(Duration.ofSeconds(60), () -> !describes(fleet).isEmpty())) {
                out.println("reaction: the agent never polled; its last lines:");
                agent.tail().forEach(l -> out.println("  " + l));
                return List.of(Figure.notRun(3, what, "agent never polled"));
            }
            Random phase = new Random(7);
            for (int i = 0; i < settings.splits(); i++) {
                // A random moment of the 5 s cycle: the wait for the next poll is part of the reaction.
                Waits.sleep(Duration.ofMillis(500 + phase.nextInt(POLLING_INTERVAL * 1000)));
                fleet.aws.state().split(table, 1);
                Instant at = Instant.now();
                splits.add(at);
                boolean written = Waits.until(Duration.ofSeconds(3L * POLLING_INTERVAL + 10),
                        () -> writes(fleet, deployment).stream().anyMatch(w -> !w.isBefore(at)));
                if (!written) {
                    out.printf("reaction: split %d was not followed by a write within %d s%n", i + 1, 3 * POLLING_INTERVAL + 10);
                }
            }
            List<ReactionTimes.Reaction> reactions = ReactionTimes.match(splits, describes(fleet), writes(fleet, deployment));
            return report(reactions, out);
        }
    }

    static List<Figure> report(List<ReactionTimes.Reaction> reactions, PrintStream out) {
        out.printf("%6s %12s %14s%n", "split", "seen (s)", "written (s)");
        for (int i = 0; i < reactions.size(); i++) {
            var r = reactions.get(i);
            out.printf("%6d %12s %14s%n", i + 1, seconds(r.detection()), seconds(r.total()));
        }
        List<Double> totals = reactions.stream().flatMap(r -> r.total().stream()).map(d -> d.toMillis() / 1000.0).toList();
        List<Double> seen = reactions.stream().flatMap(r -> r.detection().stream()).map(d -> d.toMillis() / 1000.0).toList();
        long missing = reactions.size() - totals.size();
        List<Figure> figures = new ArrayList<>();
        if (totals.isEmpty()) {
            figures.add(new Figure(3, "reaction, split -> PUT /scale", "no write followed any split",
                    "<= " + TARGET.toSeconds() + " s", Figure.Verdict.MISSED));
            return figures;
        }
        Stats total = Stats.of(totals);
        figures.add(new Figure(3, "reaction, split -> PUT /scale (min / median / max, " + totals.size() + " splits)",
                total.format("s"), "<= " + TARGET.toSeconds() + " s (interval + 1 s)",
                Figure.Verdict.of(missing == 0 && total.max() <= TARGET.toSeconds())));
        if (!seen.isEmpty()) {
            figures.add(Figure.info(3, "  of which: wait for the next poll (split -> DescribeStream)", Stats.of(seen).format("s")));
        }
        if (missing > 0) {
            figures.add(new Figure(3, "splits never followed by a write", Long.toString(missing), "0", Figure.Verdict.MISSED));
        }
        return figures;
    }

    private static String seconds(Optional<Duration> d) {
        return d.map(x -> String.format("%.3f", x.toMillis() / 1000.0)).orElse("none");
    }

    private static List<Instant> describes(SimulatedFleet fleet) {
        return fleet.aws.requests("DescribeStream").stream().filter(LoggedRequest::succeeded).map(LoggedRequest::at).toList();
    }

    /** Writes of the scale subresource: the agent PUTs the Scale; a PATCH would count as well. */
    private static List<Instant> writes(SimulatedFleet fleet, String deployment) {
        String path = SimulatedFleet.scalePath(deployment);
        List<Instant> at = new ArrayList<>();
        fleet.kube.dispatcher().requests("PUT", path).forEach(r -> at.add(r.at()));
        fleet.kube.dispatcher().requests("PATCH", path).forEach(r -> at.add(r.at()));
        return at;
    }
}
