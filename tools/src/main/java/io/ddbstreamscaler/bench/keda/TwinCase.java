package io.ddbstreamscaler.bench.keda;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One side-by-side case: one table on an AWS simulator of its own, two twin Deployments that start at 1 replica, one
 * scaled by KEDA's own {@code aws-dynamodb-streams} scaler (and the HPA it creates), one by the agent, with the same
 * ScaledObject settings; then steps that change the stream (or AWS, or the ScaledObject) and wait for each twin.
 *
 * @param name               DNS label: the KEDA twin's namespace is {@code keda-<name>}, the agent's twin
 *                           {@code keda-test/agent-<name>}
 * @param what               one line for reports
 * @param source             where the ScaledObject and its authentication come from
 * @param initialShards      open shards of the table's stream at the start
 * @param spec               ScaledObject spec fields besides scaleTargetRef and triggers, as YAML lines indented for
 *                           {@code spec:} (pollingInterval, min/max, cooldownPeriod, fallback, advanced...)
 * @param metadata           trigger metadata besides tableName, awsRegion and awsEndpoint (shardCount, ...)
 * @param steps              in order; the first usually changes nothing and waits for the starting state
 * @param difference         null when the twins must agree step for step; else why they differ: the agent's
 *                           choice (an option, the sidecar guard, stricter validation) or KEDA's own behaviour
 * @param sidecarGuard       the agent runs as if it were a sidecar in the agent twin's pod (POD_NAME)
 */
public record TwinCase(String name, String what, Source source, int initialShards, String spec,
                       Map<String, String> metadata, List<Step> steps, String difference,
                       boolean sidecarGuard) {

    /** The spec's examples (examples/), or a generated ScaledObject with static keys through a TriggerAuthentication. */
    public enum Source {
        SPEC_IAM_USERS("examples/keda-iam-users.yaml"),
        SPEC_IAM_ROLE("examples/keda-iam-role.yaml"),
        GENERATED(null);

        final String file;

        Source(String file) {
            this.file = file;
        }
    }

    /** What a step does before it waits. */
    public sealed interface Op {
        /** Nothing: wait for the starting state. */
        record Start() implements Op {
        }

        /** Split this many open shards (oldest first), each into two: total +2n, open +n. */
        record Split(int shards) implements Op {
        }

        /** The simulator's clock moves a day ahead: every closed shard passes its 24 hours and leaves the listing. */
        record ExpireClosedShards() implements Op {
        }

        /** The simulator refuses connections: DescribeTable and DescribeStream fail for both twins. */
        record AwsOutage() implements Op {
        }

        /** DescribeStream answers 500 InternalServerError (DescribeTable still answers). */
        record DescribeStreamFails() implements Op {
        }

        /** The simulator answers again, and answers well. */
        record AwsBack() implements Op {
        }

        /** The autoscaling.keda.sh/paused-replicas annotation on both ScaledObjects. */
        record PauseAt(int replicas) implements Op {
        }
    }

    /** What one twin must do after a step's change. */
    public sealed interface Expect {
        /** Reach this count (within the step's time limit); the path to it is recorded, not prescribed here. */
        record Reach(int replicas) implements Expect {
        }

        /** Stay at this count for the whole duration. */
        record Hold(int replicas, Duration during) implements Expect {
        }

        int replicas();
    }

    /** One step: a change, then what each twin must do. */
    public record Step(String label, Op op, Expect agent, Expect keda) {

        /** Both twins the same. */
        public static Step both(String label, Op op, Expect expect) {
            return new Step(label, op, expect, expect);
        }
    }

    public TwinCase {
        metadata = Map.copyOf(metadata);
        steps = List.copyOf(steps);
    }

    public String kedaNamespace() {
        return "keda-" + name;
    }

    public String kedaTarget() {
        return name;
    }

    public String agentTarget() {
        return "agent-" + name;
    }

    public static Expect reach(int replicas) {
        return new Expect.Reach(replicas);
    }

    public static Expect hold(int replicas, int seconds) {
        return new Expect.Hold(replicas, Duration.ofSeconds(seconds));
    }
}
