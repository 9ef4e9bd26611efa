package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmSettingsTest {

    @Test
    void fixedSettingsFixCollectorHeapAndCompilerThreadsButNotTheProcessorCount() {
        List<String> args = JvmSettings.of(false, List.of()).benchmarkJvmArgs();
        assertTrue(args.containsAll(List.of("-XX:+UseSerialGC", "-Xms1g", "-Xmx1g", "-Xmn64m", "-XX:CICompilerCount=2")),
                args.toString());
        assertTrue(args.stream().noneMatch(a -> a.contains("ActiveProcessorCount")), "the cores are not faked");
        assertTrue(args.contains("-Dpoolbench.workerJvmArgs=" + String.join(",", JvmSettings.WORKER)), args.toString());
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m", "-Xmn64m", "-XX:CICompilerCount=2",
                "-XX:-UseTransparentHugePages"), JvmSettings.worker(true), "workers off huge pages, as benchmark JVMs");
        assertEquals(JvmSettings.worker(true).subList(0, 5), JvmSettings.worker(false), "no flag a JVM may not know");
        assertTrue(args.stream().noneMatch(a -> a.startsWith("-XX:+UseTransparentHugePages")), args.toString());
        for (List<String> list : List.of(JvmSettings.BENCHMARK, JvmSettings.WORKER)) {
            String xms = list.stream().filter(a -> a.startsWith("-Xms")).findFirst().orElseThrow().substring(4);
            String xmx = list.stream().filter(a -> a.startsWith("-Xmx")).findFirst().orElseThrow().substring(4);
            assertEquals(xms, xmx, "a heap that cannot resize");
        }
        assertEquals(JvmSettings.BENCHMARK.stream().filter(a -> a.startsWith("-Xmn")).toList(),
                JvmSettings.WORKER.stream().filter(a -> a.startsWith("-Xmn")).toList(),
                "the same young generation wherever a task runs");
    }

    @Test
    void squaresAloneGetsItsOwnYoungGenerationAndNothingElseChanges() {
        JvmSettings s = JvmSettings.of(false, List.of());
        List<String> squares = s.benchmarkJvmArgs(List.of("squares"));
        assertTrue(squares.contains("-Xmn341m") && !squares.contains("-Xmn64m"), squares.toString());
        assertEquals(s.benchmarkJvmArgs().size(), squares.size());
        assertEquals(s.benchmarkJvmArgs(), s.benchmarkJvmArgs(List.of("factorial")));
        assertEquals(s.benchmarkJvmArgs(), s.benchmarkJvmArgs(List.of("factorial", "squares")),
                "a JVM of several workloads keeps the fixed settings");
        assertTrue(squares.get(squares.size() - 1).contains("-Xmn64m"), "its workers keep 64 MB: " + squares);
        assertEquals(List.of(), JvmSettings.of(true, List.of()).benchmarkJvmArgs(List.of("squares")));
    }

    @Test
    void jvmDefaultsLeaveEverythingToErgonomics() {
        JvmSettings defaults = JvmSettings.of(true, List.of());
        assertEquals(List.of(), defaults.benchmarkJvmArgs());
        assertEquals(List.of(), defaults.workerJvmArgs());
        Map<String, String> env = new LinkedHashMap<>();
        defaults.record(env);
        assertEquals("on", env.get("jvm_defaults"));
        assertEquals("JVM ergonomics", env.get("jvm_settings"));
    }

    @Test
    void optionsAppendedToTheBenchmarkJvmsReachTheWorkersToo() {
        JvmSettings s = JvmSettings.of(false, List.of("-prof", "gc", "-jvmArgsAppend", "-XX:TieredStopAtLevel=1"));
        assertEquals("-XX:TieredStopAtLevel=1", s.workerJvmArgs().get(s.workerJvmArgs().size() - 1));
        assertTrue(s.benchmarkJvmArgs().get(s.benchmarkJvmArgs().size() - 1).endsWith(",-XX:TieredStopAtLevel=1"));
        Map<String, String> env = new LinkedHashMap<>();
        s.record(env);
        assertEquals("off", env.get("jvm_defaults"));
        assertEquals("-XX:+UseSerialGC -Xms1g -Xmx1g -Xmn64m -XX:CICompilerCount=2; squares: -Xmn341m",
                env.get("jvm_settings"));
        assertTrue(env.get("worker_jvm_settings").endsWith("-XX:TieredStopAtLevel=1"), env.toString());
        assertFalse(JvmSettings.of(true, List.of("-jvmArgsAppend", "-Xint")).workerJvmArgs().isEmpty());
    }

    @Test
    void anOptionWithACommaCannotBeHandedOn() {
        UsageError e = assertThrows(UsageError.class,
                () -> JvmSettings.of(false, List.of("-jvmArgsAppend", "-Xlog:gc:file=a,b")));
        assertTrue(e.getMessage().contains("'-Xlog:gc:file=a,b'"), e.getMessage());
    }
}
