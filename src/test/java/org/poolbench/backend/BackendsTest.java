package org.poolbench.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.poolbench.pool.TaskFailedException;
import org.poolbench.pool.PoolTesting;

/** Every backend computes what {@code sequential} computes, in input order, whatever the chunk size. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackendsTest {

    private static final List<Long> INPUTS = LongStream.range(0, 23).boxed().toList();

    private static long work(long x) {
        return x * x + 7;
    }

    @AfterEach
    void noChildProcessLeft() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<Long> alive;
        do {
            alive = ProcessHandle.current().descendants().filter(p -> PoolTesting.running(p.pid()))
                    .map(ProcessHandle::pid).collect(Collectors.toSet());
        } while (!alive.isEmpty() && System.nanoTime() < deadline && sleep());
        assertEquals(Set.of(), alive, "child processes left behind");
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }

    @ParameterizedTest
    @EnumSource(Backends.Kind.class)
    void agreesWithSequential(Backends.Kind kind) {
        List<Long> expected;
        try (Backend sequential = Backends.create("sequential", 1)) {
            expected = sequential.map(BackendsTest::work, INPUTS);
        }
        try (Backend backend = Backends.create(kind.id(), 2)) {
            assertEquals(kind.id(), backend.name());
            assertEquals(kind == Backends.Kind.SEQUENTIAL ? 1 : 2, backend.workers());
            for (int chunksize : new int[] {Backend.AUTO_CHUNKSIZE, 1, 5, 23, 100}) {
                if (kind == Backends.Kind.PROCESS_PER_TASK && chunksize == 1) {
                    continue; // 23 JVM starts for one assertion: chunk sizes 5 and auto already cover it
                }
                assertEquals(expected, backend.map(BackendsTest::work, INPUTS, chunksize),
                        kind.id() + " chunksize " + chunksize);
            }
            assertEquals(List.of(), backend.map(BackendsTest::work, List.of()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backends.Kind.class, names = {"PROCESS_POOL", "PROCESS_PER_TASK"})
    void processBackendsReportTaskFailuresWithTheRemoteCause(Backends.Kind kind) {
        assertTrue(kind.usesProcesses());
        try (Backend backend = Backends.create(kind.id(), 2)) {
            BackendException e = assertThrows(BackendException.class,
                    () -> backend.map(x -> 10 / x, List.of(1L, 0L, 2L), 3));
            TaskFailedException cause = assertInstanceOf(TaskFailedException.class, e.getCause());
            assertEquals("java.lang.ArithmeticException", cause.remoteClassName());
            assertTrue(e.getMessage().startsWith(kind.id() + ": "), e.getMessage());
        }
    }

    @Test
    void onlyTheProcessAndClusterBackendsUseProcesses() {
        for (Backends.Kind kind : Backends.Kind.values()) {
            assertEquals(kind.id().startsWith("process-") || kind == Backends.Kind.CLUSTER, kind.usesProcesses(),
                    kind.id());
        }
        assertTrue(Backends.names().containsAll(List.of("process-pool", "process-per-task")));
    }
}
