package io.ddbstreamscaler.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JcmdTest {

    static Stream<Arguments> perfCounters() {
        return Stream.of(
                Arguments.of("loaded minus unloaded", "java.cls.loadedClasses=11246\njava.cls.unloadedClasses=46\n", Optional.of(11200L)),
                Arguments.of("nothing unloaded", "sun.x=1\njava.cls.loadedClasses=900\n", Optional.of(900L)),
                Arguments.of("no counter", "sun.x=1\n", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perfCounters")
    void liveClasses(String name, String text, Optional<Long> classes) {
        assertEquals(classes, Jcmd.liveClasses(text));
    }

    static final String DUMP = """
            "main" #1 prio=5 os_prio=0 cpu=1.0ms elapsed=9s tid=0x1 nid=0x2 waiting on condition
            "vert.x-worker-thread-0" #30 prio=5 os_prio=0 tid=0x3 nid=0x4 waiting
            "vert.x-worker-thread-11" #41 prio=5 os_prio=0 tid=0x5 nid=0x6 waiting
            "VM Thread" os_prio=0 cpu=2.0ms elapsed=9s tid=0x7 nid=0x8 runnable
            """;

    static Stream<Arguments> dumps() {
        return Stream.of(
                Arguments.of("numbers folded, most numerous first", DUMP,
                        List.of(Map.entry("vert.x-worker-thread-#", 2L), Map.entry("main", 1L), Map.entry("VM Thread", 1L))),
                Arguments.of("empty dump", "", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void threadGroups(String name, String dump, List<Map.Entry<String, Long>> groups) {
        assertEquals(groups, List.copyOf(Jcmd.threadGroups(dump).entrySet()));
    }

    static final String NMT = """
            Native Memory Tracking:

            Total: reserved=1500000KB, committed=180000KB
            -                 Java Heap (reserved=65536KB, committed=40000KB)
                                        (mmap: reserved=65536KB, committed=40000KB)
            -                     Class (reserved=1050000KB, committed=70000KB)
            -                    Thread (reserved=20000KB, committed=2000KB)
            """;

    static Stream<Arguments> summaries() {
        return Stream.of(
                Arguments.of("categories by committed", NMT, List.of(new Jcmd.NmtCategory("Class", 70000),
                        new Jcmd.NmtCategory("Java Heap", 40000), new Jcmd.NmtCategory("Thread", 2000))),
                Arguments.of("NMT off", "Native memory tracking is not enabled", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("summaries")
    void nmtCategories(String name, String summary, List<Jcmd.NmtCategory> categories) {
        assertEquals(categories, Jcmd.nmtCategories(summary));
    }
}
