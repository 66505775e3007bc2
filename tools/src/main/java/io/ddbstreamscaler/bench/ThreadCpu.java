package io.ddbstreamscaler.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the live Java threads, summed by who they work for in an in-process benchmark: the load generator
 * ({@code main} and {@code bench-client*}), the AWS simulator ({@code aws-sim*} and the JDK HTTP server's dispatcher),
 * and the rest, which is the code under test. A thread that ended between two samples drops out of both.
 */
final class ThreadCpu {

    static final String CLIENT = "client";
    static final String SIMULATOR = "simulator";
    static final String SERVER = "server";

    private ThreadCpu() {
    }

    /** Thread id → CPU ns, keyed "category/id" so a delta compares the same threads. */
    static Map<String, Long> byCategory() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(info.getThreadId());
            if (ns >= 0) {
                cpu.put(category(info.getThreadName()) + "/" + info.getThreadId(), ns);
            }
        }
        return cpu;
    }

    static String category(String threadName) {
        if (threadName.equals("main") || threadName.startsWith("bench-client")) {
            return CLIENT;
        }
        if (threadName.startsWith("aws-sim") || threadName.startsWith("HTTP-Dispatcher")) {
            return SIMULATOR;
        }
        return SERVER;
    }

    /** CPU ns the category's threads spent between the two samples; threads born in between count from zero. */
    static long delta(Map<String, Long> before, Map<String, Long> after, String category) {
        return after.entrySet().stream().filter(e -> e.getKey().startsWith(category + "/"))
                .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    }
}
