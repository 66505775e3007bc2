package io.ddbstreamscaler.bench.keda;

import io.ddbstreamscaler.bench.keda.TwinCase.Op;
import io.ddbstreamscaler.bench.keda.TwinCase.Source;
import io.ddbstreamscaler.bench.keda.TwinCase.Step;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.ddbstreamscaler.bench.keda.TwinCase.hold;
import static io.ddbstreamscaler.bench.keda.TwinCase.reach;

/**
 * The side-by-side cases the conformance suite (keda-tests) and {@code bench --scenario versus-keda} run: the spec's
 * two examples, seven policy settings, three settings where the agent differs from KEDA on purpose, and one where
 * KEDA differs from its own documentation. Each step's
 * change is spaced from the last by a wait for both twins, so timing cannot change the sequence of replica counts:
 * KEDA+HPA reacts within its pollingInterval and the HPA's 15 s sync, the agent within its pollingInterval.
 * Scale-down windows are short (15 s or 0) so a run takes minutes; where a case keeps the HPA's defaults, it never
 * scales down.
 */
public final class TwinCases {

    /** Waits a twin that does not move is watched for: longer than the HPA's 15 s sync and three 5 s polls. */
    static final int HOLD_SECONDS = 25;

    private static final String FAST_POLLS = "  pollingInterval: 5\n";
    private static final String FALLBACK = """
              fallback:
                failureThreshold: 3
                replicas: 5
              advanced:
                horizontalPodAutoscalerConfig:
                  behavior:
                    scaleDown:
                      stabilizationWindowSeconds: 0
            """;

    private static final List<TwinCase> ALL = List.of(
            // The spec's examples as they are (name, target, namespace and awsEndpoint aside): static keys with a
            // session token, and a role assumed through STS. Both on KEDA's defaults (pollingInterval 30, the HPA's
            // default behavior), so they only scale up here.
            new TwinCase("spec-iam-users", "the spec's IAM users example (static keys and session token)",
                    Source.SPEC_IAM_USERS, 2, "", Map.of(), List.of(
                    Step.both("2 shards: ceil(2/2) = 1", new Op.Start(), reach(1)),
                    Step.both("split 1: 4 shards listed -> 2", new Op.Split(1), reach(2)),
                    Step.both("split 2: 8 shards listed -> 4", new Op.Split(2), reach(4))), null, false),
            new TwinCase("spec-iam-role", "the spec's IAM role example (AssumeRole through STS)",
                    Source.SPEC_IAM_ROLE, 2, "", Map.of(), List.of(
                    Step.both("2 shards: ceil(2/2) = 1", new Op.Start(), reach(1)),
                    Step.both("split 1: 4 shards listed -> 2", new Op.Split(1), reach(2)),
                    Step.both("split 2: 8 shards listed -> 4", new Op.Split(2), reach(4))), null, false),
            new TwinCase("scale-up-behavior", "behavior.scaleUp: 1 Pod per 15 s",
                    Source.GENERATED, 1, FAST_POLLS + """
                      advanced:
                        horizontalPodAutoscalerConfig:
                          behavior:
                            scaleUp:
                              stabilizationWindowSeconds: 0
                              policies:
                                - {type: Pods, value: 1, periodSeconds: 15}
                    """, Map.of("shardCount", "1"), List.of(
                    Step.both("1 shard", new Op.Start(), reach(1)),
                    Step.both("split 1: 3 listed, one Pod per 15 s", new Op.Split(1), reach(3)),
                    Step.both("split 2: 7 listed, one Pod per 15 s", new Op.Split(2), reach(7))), null, false),
            new TwinCase("scale-down-behavior", "behavior.scaleDown: 15 s window, 1 Pod per 15 s",
                    Source.GENERATED, 1, FAST_POLLS + """
                      advanced:
                        horizontalPodAutoscalerConfig:
                          behavior:
                            scaleDown:
                              stabilizationWindowSeconds: 15
                              policies:
                                - {type: Pods, value: 1, periodSeconds: 15}
                    """, Map.of("shardCount", "1"), List.of(
                    Step.both("1 shard", new Op.Start(), reach(1)),
                    Step.both("split 1: 3 listed (default scale-up, max(2x, +4))", new Op.Split(1), reach(3)),
                    Step.both("split 2: 7 listed", new Op.Split(2), reach(7)),
                    Step.both("closed shards expire: 4 listed, one Pod per 15 s", new Op.ExpireClosedShards(),
                            reach(4))), null, false),
            new TwinCase("activation-to-zero", "activationShardCount 2, minReplicaCount 0, cooldownPeriod 15",
                    Source.GENERATED, 1, FAST_POLLS + """
                      minReplicaCount: 0
                      cooldownPeriod: 15
                    """, Map.of("shardCount", "1", "activationShardCount", "2"), List.of(
                    Step.both("1 shard, not above 2: inactive, never active -> 0", new Op.Start(), reach(0)),
                    Step.both("split 1: 3 listed, active: 0 -> 1 (activation) -> 3 (HPA)", new Op.Split(1), reach(3)),
                    Step.both("closed shards expire: 2 listed, inactive; 15 s cooldown -> 0",
                            new Op.ExpireClosedShards(), reach(0))), null, false),
            new TwinCase("fallback-stream-errors", "fallback 5 replicas after 3 failures, DescribeStream failing",
                    Source.GENERATED, 2, FAST_POLLS + FALLBACK, Map.of("shardCount", "1"), List.of(
                    Step.both("2 shards", new Op.Start(), reach(2)),
                    Step.both("DescribeStream answers 500: fallback 5", new Op.DescribeStreamFails(), reach(5)),
                    Step.both("AWS answers again: 2", new Op.AwsBack(), reach(2))), null, false),
            new TwinCase("paused-replicas", "autoscaling.keda.sh/paused-replicas: \"2\" set mid-run",
                    Source.GENERATED, 1, FAST_POLLS, Map.of("shardCount", "1"), List.of(
                    Step.both("1 shard", new Op.Start(), reach(1)),
                    Step.both("paused at 2", new Op.PauseAt(2), reach(2)),
                    Step.both("split 1: 3 listed, still paused at 2", new Op.Split(1), hold(2, HOLD_SECONDS))),
                    null, false),
            new TwinCase("min-max-bounds", "minReplicaCount 2, maxReplicaCount 4",
                    Source.GENERATED, 1, FAST_POLLS + """
                      minReplicaCount: 2
                      maxReplicaCount: 4
                    """, Map.of("shardCount", "1"), List.of(
                    Step.both("1 shard, min 2", new Op.Start(), reach(2)),
                    Step.both("split 1: 3 listed", new Op.Split(1), reach(3)),
                    Step.both("split 2: 7 listed, max 4", new Op.Split(2), reach(4))), null, false),
            new TwinCase("metric-type-value", "metricType: Value (the HPA multiplies the current count)",
                    Source.GENERATED, 2, FAST_POLLS + """
                      maxReplicaCount: 6
                    """, Map.of("shardCount", "2", "metricType", "Value"), List.of(
                    Step.both("2 shards at target 2: ratio 1", new Op.Start(), reach(1)),
                    Step.both("split 1: 4 listed, ratio 2: doubles up to max 6", new Op.Split(1), reach(6))),
                    null, false),
            // Differences: the agent's option, its sidecar guard, its stricter validation; KEDA's fallback.
            new TwinCase("closed-shards-not-counted", "countClosedShards: \"false\" (the agent's option; KEDA ignores it)",
                    Source.GENERATED, 2, FAST_POLLS + """
                      advanced:
                        horizontalPodAutoscalerConfig:
                          behavior:
                            scaleDown:
                              stabilizationWindowSeconds: 0
                    """, Map.of("shardCount", "1", "countClosedShards", "false"), List.of(
                    Step.both("2 open shards", new Op.Start(), reach(2)),
                    new Step("split 1: 3 open, 4 listed", new Op.Split(1), reach(3), reach(4)),
                    new Step("closed shards expire: 3 listed", new Op.ExpireClosedShards(), hold(3, HOLD_SECONDS),
                            reach(3))),
                    "countClosedShards: \"false\" counts open shards only: the agent follows the shards a consumer "
                            + "reads (3), KEDA every listed shard (4) until the closed one expires 24 h later", false),
            new TwinCase("sidecar-guard", "activationShardCount 2, minReplicaCount 0, the agent in the target's pod",
                    Source.GENERATED, 1, FAST_POLLS + """
                      minReplicaCount: 0
                      cooldownPeriod: 15
                    """, Map.of("shardCount", "1", "activationShardCount", "2"), List.of(
                    new Step("1 shard: inactive", new Op.Start(), hold(1, HOLD_SECONDS), reach(0)),
                    Step.both("split 1: 3 listed, active", new Op.Split(1), reach(3))),
                    "the sidecar guard: an agent in its target's pods never scales them to zero (it could never scale "
                            + "them up again); KEDA, outside them, does", true),
            new TwinCase("fallback-outage", "fallback 5 replicas after 3 failures, AWS refusing connections",
                    Source.GENERATED, 2, FAST_POLLS + FALLBACK, Map.of("shardCount", "1"), List.of(
                    Step.both("2 shards", new Op.Start(), reach(2)),
                    new Step("AWS refuses connections", new Op.AwsOutage(), reach(5), hold(2, 2 * HOLD_SECONDS)),
                    Step.both("AWS answers again: 2", new Op.AwsBack(), reach(2))),
                    "KEDA's fallback with AWS unreachable: KEDA v2.20.2 rebuilds a failing scaler, the rebuilt "
                            + "aws-dynamodb-streams scaler needs DescribeTable to exist, so there is no scaler to fall "
                            + "back for and the HPA holds the count (KEDA holds 2); the agent falls back as KEDA documents "
                            + "fallback (5)", false),
            new TwinCase("shard-count-zero", "shardCount: \"0\"",
                    Source.GENERATED, 4, FAST_POLLS, Map.of("shardCount", "0"), List.of(
                    Step.both("4 shards, shardCount 0: nobody scales", new Op.Start(), hold(1, HOLD_SECONDS))),
                    "stricter validation: the agent refuses the ScaledObject when it loads it, naming the field "
                            + "(metadata.shardCount); KEDA accepts it, then the API server refuses the HPA it makes "
                            + "(averageValue must be positive) and the ScaledObject stays Ready=False", false));

    private TwinCases() {
    }

    public static List<TwinCase> all() {
        return ALL;
    }

    public static TwinCase named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no twin case " + name));
    }

    public static Optional<TwinCase> find(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
