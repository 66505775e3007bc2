package io.ddbstreamscaler.schedule;

import io.ddbstreamscaler.stream.AwsCallBudget;
import io.ddbstreamscaler.stream.ShardCounter;
import io.ddbstreamscaler.trigger.ScaledObjectConfig;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntBiFunction;

/**
 * Says once, per AWS account and region, when the ScaledObjects on one call budget ask for more calls than it allows:
 * the schedule then serves them in turn, so each is read less often than its pollingInterval, evenly (and
 * {@code ddbstream_scaler_reading_age_seconds} shows by how much). Says again when the demand grows by a fifth, and
 * once when it fits again.
 */
public final class BudgetWarnings {

    private static final Logger LOG = LoggerFactory.getLogger("io.ddbstreamscaler.agent");

    /** Calls per second asked of one key, the calls one round of its triggers makes, and how many triggers. */
    public record Demand(double callsPerSecond, int callsPerRound, int triggers) {
        public Demand plus(Demand other) {
            return new Demand(callsPerSecond + other.callsPerSecond, callsPerRound + other.callsPerRound,
                    triggers + other.triggers);
        }
    }

    private final double budgetPerSecond;
    private final Map<AwsCallBudget.Key, Double> warned = new HashMap<>();

    public BudgetWarnings(double budgetPerSecond) {
        this.budgetPerSecond = budgetPerSecond;
    }

    /**
     * AWS calls per second the ScaledObjects {@code led} ask of each budget key of {@code counter}: each trigger's
     * {@code expectedCalls} once per pollingInterval. Triggers the counter books on no budget ask nothing.
     */
    public static Map<AwsCallBudget.Key, Demand> demand(Collection<ScaledObjectConfig> led, ShardCounter counter,
                                                        ToIntBiFunction<ScaledObjectConfig, TriggerConfig> expectedCalls) {
        Map<AwsCallBudget.Key, Demand> demand = new HashMap<>();
        for (ScaledObjectConfig config : led) {
            for (TriggerConfig trigger : config.triggers()) {
                AwsCallBudget.Key key = counter.budgetKeyOf(trigger);
                if (key == null) {
                    continue;
                }
                int calls = expectedCalls.applyAsInt(config, trigger);
                demand.merge(key, new Demand((double) calls / Math.max(1, config.pollingIntervalSeconds()), calls, 1),
                        Demand::plus);
            }
        }
        return demand;
    }

    /** @return the message logged for each key this call warned about (for tests) */
    public synchronized Map<AwsCallBudget.Key, String> check(Map<AwsCallBudget.Key, Demand> demand) {
        Map<AwsCallBudget.Key, String> said = new HashMap<>();
        if (budgetPerSecond <= 0) {
            return said;
        }
        demand.forEach((key, d) -> {
            Double before = warned.get(key);
            if (d.callsPerSecond() > budgetPerSecond && (before == null || d.callsPerSecond() > before * 1.2)) {
                String message = String.format("AWS call budget of %s in %s cannot serve the demand: %.1f calls/s asked "
                                + "by %d trigger(s), budget %.1f calls/s; each is read about every %.0f s instead of its "
                                + "pollingInterval (evenly); spread the tables over more accounts or raise pollingInterval",
                        principal(key), key.region(), d.callsPerSecond(), d.triggers(), budgetPerSecond,
                        d.callsPerRound() / budgetPerSecond);
                LOG.warn(message);
                warned.put(key, d.callsPerSecond());
                said.put(key, message);
            } else if (before != null && d.callsPerSecond() <= budgetPerSecond) {
                LOG.info("AWS call budget of {} in {} serves the demand again: {} calls/s of {}", principal(key),
                        key.region(), String.format("%.1f", d.callsPerSecond()), budgetPerSecond);
                warned.remove(key);
            }
        });
        return said;
    }

    /** The budget's owner for a log line: an account id, never an access key id. */
    static String principal(AwsCallBudget.Key key) {
        String p = key.principal();
        if (p.startsWith("account:")) {
            return "account " + p.substring("account:".length());
        }
        if (p.startsWith("key:")) {
            return "one set of static keys";
        }
        return "the agent's own credentials";
    }
}
