package io.ddbstreamscaler.stream;

import io.ddbstreamscaler.simulator.AwsSimulator;
import io.ddbstreamscaler.trigger.TriggerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.ddbstreamscaler.stream.Triggers.keys;
import static io.ddbstreamscaler.stream.Triggers.role;
import static io.ddbstreamscaler.stream.Triggers.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rotated keys close the clients built for the old ones (the leak KEDA shipped in
 * kedacore/keda#7756): the real SDK over HTTP against the simulator, rotating a trigger's static keys 100 times.
 * Open sockets and live threads are counts read from /proc and the JVM, never timings.
 */
class AwsClientRotationIT {

    /** Threads and sockets that come and go on their own (JIT, GC, the simulator's pool, keep-alive). */
    static final int SLACK = 4;

    AwsSimulator sim;
    AwsShardCounter counter;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        sim.state().createTable("orders", 3);
        sim.state().createTable("payments", 2);
        ProbeOptions options = ProbeOptions.defaults().withBudget(1000, 100)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50))
                .withStsEndpoint(sim.endpoint());
        counter = new AwsShardCounter(options,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDAMBIENT0000001", "ambient-secret")));
    }

    @AfterEach
    void stop() {
        counter.close();
        sim.close();
    }

    TriggerConfig rotated(int generation) {
        return trigger("orders", sim.endpoint(),
                keys("AKIDROTATED" + String.format("%07d", generation), "secret-" + generation, null), true);
    }

    @Test
    void aHundredRotationsKeepSocketsAndThreadsFlat() {
        Counts afterTen = null;
        for (int generation = 1; generation <= 100; generation++) {
            TriggerConfig current = rotated(generation);
            assertEquals(3, counter.count(current).total());
            counter.retainOnly(List.of(current));
            if (generation == 10) {
                afterTen = Counts.now();
            }
        }
        Counts afterHundred = Counts.now();
        System.out.println("rotation soak: after 10 rotations " + afterTen + ", after 100 " + afterHundred);

        assertEquals(1, counter.clientCount(), "only the live keys' clients remain");
        assertEquals(1, counter.cachedArnCount(), "only the live trigger's stream ARN remains");
        assertTrue(afterHundred.threads() <= afterTen.threads() + SLACK,
                "threads after 10 rotations " + afterTen + ", after 100 " + afterHundred);
        assertTrue(afterHundred.sockets() <= afterTen.sockets() + SLACK,
                "sockets after 10 rotations " + afterTen + ", after 100 " + afterHundred);
    }

    /** The control: without retainOnly the same rotations do leak, so the flat counts above are retention's doing. */
    @Test
    void withoutRetentionTheOldClientsStay() {
        for (int generation = 1; generation <= 10; generation++) {
            counter.count(rotated(generation));
        }
        Counts beforeMore = Counts.now();
        for (int generation = 11; generation <= 40; generation++) {
            counter.count(rotated(generation));
        }
        Counts afterMore = Counts.now();

        // The control: without retainOnly every rotation leaves a client set behind. (They no longer hold threads of
        // their own: every client shares AwsClientCache's one timeout thread, so the thread count stays flat here.)
        assertEquals(40, counter.clientCount());
        assertTrue(afterMore.threads() <= beforeMore.threads() + SLACK,
                "the clients share one timeout thread: " + beforeMore + " -> " + afterMore);

        counter.retainOnly(List.of(rotated(40)));
        Counts afterRetain = Counts.now();
        System.out.println("rotation control: 10 client sets " + beforeMore + ", 40 " + afterMore
                + ", retained 1 " + afterRetain);
        assertEquals(1, counter.clientCount(), "retainOnly closed the 39 left behind");
    }

    @Test
    void retentionKeepsWhatLiveTriggersUseAndDropsTheRest() {
        TriggerConfig orders = rotated(1);
        TriggerConfig payments = trigger("payments", sim.endpoint(), orders.auth(), true);
        TriggerConfig viaRole = trigger("orders", sim.endpoint(), role("arn:aws:iam::210987654321:role/reader"), true);
        Stream.of(orders, payments, viaRole).forEach(counter::count);
        assertEquals(2, counter.clientCount(), "orders and payments share one client set");
        assertEquals(3, counter.cachedArnCount());

        counter.retainOnly(List.of(payments));

        assertEquals(1, counter.clientCount(), "the role's clients are closed");
        assertEquals(1, counter.cachedArnCount(), "only payments' ARN stays");
        sim.clearRequests();
        assertEquals(2, counter.count(payments).total());
        assertEquals(0, sim.requests("DescribeTable").size(), "the kept ARN is still cached");
        // A dropped trigger that comes back simply gets new clients.
        assertEquals(3, counter.count(viaRole).total());
        assertEquals(2, counter.clientCount());
    }

    record Counts(int threads, int sockets) {
        static Counts now() {
            return new Counts(liveThreads(), openSockets());
        }

        private static int liveThreads() {
            return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
        }

        /** File descriptors of this process that are sockets (Linux: the link reads "socket:[inode]"). */
        private static int openSockets() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return (int) fds.filter(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                    } catch (IOException gone) {
                        return false; // closed between list and read (e.g. the listing's own descriptor)
                    }
                }).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
