package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcStatusTest {

    static final String STATUS = """
            Name:\tjava
            Umask:\t0022
            State:\tS (sleeping)
            VmPeak:\t 3012345 kB
            VmRSS:\t  123456 kB
            RssAnon:\t   90000 kB
            Threads:\t41
            """;

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, /proc/<pid>/stat, utime + stime
                Arguments.of("plain command name", "1234 (java) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 41 0", 300L),
                Arguments.of("name with spaces and ')'", "1234 (my (odd) app) S 1 1234 1234 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 41 0", 10L),
                Arguments.of("no CPU yet", "99 (java) R 1 99 99 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0", 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readsRssThreadsAndCpuTicks(String name, String stat, long ticks) {
        assertEquals(new ProcStatus(123456, 41, ticks), ProcStatus.parse(STATUS, stat));
    }
}
