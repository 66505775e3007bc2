package io.ddbstreamscaler.simulator;

import io.ddbstreamscaler.simulator.aws.SimKclConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the AWS simulator on its own, so {@code check} or the agent can be pointed at it as at AWS:
 * {@code java -jar target/tools/ddbstream-scaler-tools.jar aws-simulator --port 4566 --table orders=4}.
 */
@Command(name = "aws-simulator", mixinStandardHelpOptions = true,
        description = "DynamoDB, DynamoDB Streams and STS on 127.0.0.1, for local runs and demos.")
public final class AwsSimulatorMain implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1; 0 picks a free one.")
    int port;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region of the ARNs. Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(names = "--table", description = "NAME=SHARDS: a table with a stream of SHARDS open shards (repeatable).")
    Map<String, Integer> tables = new LinkedHashMap<>();

    @Option(names = "--table-without-stream", description = "A table with no stream (repeatable).")
    List<String> bare = List.of();

    @Option(names = "--split-every", description = "Split one open shard of every --table this often (e.g. 10s).")
    String splitEvery;

    @Option(names = "--grow-to", defaultValue = "64", description = "Stop splitting at this many open shards.")
    int growTo;

    @Option(names = "--kcl-consumer", paramLabel = "TABLE=LEASE_TABLE",
            description = "Run a simulated KCL consumer on TABLE's stream, keeping its lease table LEASE_TABLE (repeatable).")
    Map<String, String> kclConsumers = new LinkedHashMap<>();

    @Option(names = "--kcl-workers", defaultValue = "2", description = "Workers of each simulated KCL consumer. Default: ${DEFAULT-VALUE}.")
    int kclWorkers;

    public static void main(String[] args) {
        int code = new CommandLine(new AwsSimulatorMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        AwsSimulator sim = AwsSimulator.start(Clock.systemUTC(), region, port);
        tables.forEach(sim.state()::createTable);
        bare.forEach(sim.state()::createTableWithoutStream);
        if (splitEvery != null) {
            Duration every = Duration.parse("PT" + splitEvery.toUpperCase());
            tables.keySet().forEach(t -> sim.splitEvery(t, every, growTo));
        }
        // A consumer a minute behind that reads twice as fast as records arrive: parents drain after each split.
        kclConsumers.forEach((table, leaseTable) -> {
            sim.startKclConsumer(table, leaseTable, () -> kclWorkers, new SimKclConsumer.Settings(2, 20, t -> 10,
                    SimKclConsumer.ChildLeases.AT_PARENT_END, 60, 1), Duration.ofSeconds(1));
            System.out.println("  KCL consumer of " + table + ": " + kclWorkers + " workers, lease table " + leaseTable);
        });
        sim.expireEvery(Duration.ofMinutes(1));
        System.out.println("AWS simulator listening on " + sim.endpoint() + " (region " + region + ")");
        System.out.println("  export AWS_ENDPOINT_URL=" + sim.endpoint());
        System.out.println("  export AWS_REGION=" + region + " AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local");
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
        new CountDownLatch(1).await();
        return 0;
    }
}
