package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared-memory transport: what only it can get wrong (frames larger than a ring, wrap-around, waking a sleeping
 * side, its files, an idle pool's CPU). The whole pool suite runs on it too with
 * {@code -Dpoolbench.pool.transport=shared-memory} (see docs/POOL.md).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolSharedMemoryTest {

    @AfterEach
    void noWorkerLeft() throws InterruptedException {
        PoolTesting.assertNoWorkersLeft();
    }

    private static ProcessPool pool(int workers) {
        return ProcessPool.builder().workers(workers).transport(ProcessPool.Transport.SHARED_MEMORY).build();
    }

    @Test
    void aPoolAskedForSharedMemoryUsesItAndComputesWhatPipesDo() {
        try (ProcessPool pool = pool(2)) {
            assertEquals(ProcessPool.Transport.SHARED_MEMORY, pool.transport());
            List<Long> xs = IntStream.range(0, 10_000).mapToObj(i -> (long) i).toList();
            assertEquals(xs.stream().map(x -> x * x).toList(), pool.map((Long x) -> x * x, xs));
            for (long i = 0; i < 2_000; i++) { // many round trips: both sides go from spinning to sleeping and back
                assertEquals(i + 1, pool.apply((Long x) -> x + 1, i));
            }
        }
    }

    @Test
    void applyReadsItsOwnResultFromTheRing() {
        try (ProcessPool pool = pool(2)) {
            for (long i = 0; i < 2_000; i++) {
                assertEquals(i * i, pool.apply((Long x) -> x * x, i));
            }
            // a caller that finds the worker idle and the reader asleep takes its result without the reader thread
            assertTrue(pool.resultsReadByCallers() > 0, "no apply read its own result");
        }
    }

    @Test
    void applyBesideOtherTrafficGetsItsOwnResults() throws Exception {
        try (ProcessPool pool = pool(2)) {
            List<Long> xs = IntStream.range(0, 2_000).mapToObj(i -> (long) i).toList();
            CompletableFuture<List<Long>> mapped = CompletableFuture.supplyAsync(() -> {
                List<Long> out = new java.util.ArrayList<>();
                for (int round = 0; round < 20; round++) {
                    out.addAll(pool.map((Long x) -> x + 1, xs, 7));
                }
                return out;
            });
            List<CompletableFuture<Long>> asyncs = new java.util.ArrayList<>();
            for (long i = 0; i < 3_000; i++) {
                assertEquals(i * 3, pool.apply((Long x) -> x * 3, i)); // a reserved worker takes nothing else
                if (i % 10 == 0) {
                    asyncs.add(pool.applyAsync((Long x) -> -x, i));
                }
            }
            List<Long> expected = new java.util.ArrayList<>();
            for (int round = 0; round < 20; round++) {
                xs.forEach(x -> expected.add(x + 1));
            }
            assertEquals(expected, mapped.get(30, TimeUnit.SECONDS));
            for (int k = 0; k < asyncs.size(); k++) {
                assertEquals(-10L * k, asyncs.get(k).get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aTaskLongerThanTheCallersWatchComesThroughTheReader() {
        try (ProcessPool pool = pool(1)) {
            for (long ms = 0; ms < 4; ms++) { // 0 ms within the watch; 1-3 ms long after it: the reader is rung
                assertEquals(ms, pool.apply(PoolTesting::sleep, ms));
            }
        }
    }

    @Test
    void aWorkerThatDiesWhileItsCallerWatchesFailsTheApply() {
        try (ProcessPool pool = pool(1)) {
            assertEquals(4L, pool.apply((Long x) -> x * x, 2L)); // the reader now sleeps: the next apply watches
            WorkerDiedException e = assertThrows(WorkerDiedException.class, () -> pool.apply((Long x) -> {
                Runtime.getRuntime().halt(3);
                return x;
            }, 1L));
            assertEquals(3, e.exitCode());
            assertEquals(9L, pool.apply((Long x) -> x * x, 3L));
        }
    }

    @Test
    void framesLargerThanTheRingStreamThroughAndTheRingWrapsAround() {
        int big = Ring.DEFAULT_CAPACITY * 3 + 12345; // one task whose argument and result exceed the ring thrice
        String s = String.join("", Collections.nCopies(big / 8, "poolbenc"));
        try (ProcessPool pool = pool(1)) {
            for (int round = 0; round < 3; round++) {
                assertEquals(s.length() + 1, pool.apply((String x) -> (x + "!").length(), s));
                assertEquals(s + "?", pool.apply((String x) -> x + "?", s));
            }
        }
    }

    @Test
    void aSleepingWorkerWakesForTheNextTask() throws Exception {
        try (ProcessPool pool = pool(1)) {
            assertEquals(2L, pool.apply((Long x) -> x * 2, 1L));
            Thread.sleep(50); // far past the spin and yield phases: both sides now sleep on their doorbells
            assertEquals(4L, pool.apply((Long x) -> x * 2, 2L));
            Thread.sleep(50);
            assertEquals(List.of(2L, 4L, 6L), pool.map((Long x) -> x * 2, List.of(1L, 2L, 3L)));
        }
    }

    @Test
    void killingAWorkerFailsItsTaskAndTheReplacementServes() throws Exception {
        try (ProcessPool pool = pool(1)) {
            long pid = pool.workerPids().get(0);
            CompletableFuture<Long> f = pool.applyAsync(PoolTesting::sleep, 30_000L);
            Thread.sleep(200);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL while the parent's reader sleeps
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
            assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(9L, pool.apply((Long x) -> x * x, 3L));
            assertTrue(!pool.workerPids().contains(pid));
        }
    }

    @Test
    void itsFilesGoOnceWorkersAnswerAndNothingIsLeftAfterClose() throws Exception {
        Set<java.nio.file.Path> before = ProcessPoolFaultTest.privateDirectories();
        try (ProcessPool pool = pool(2)) {
            assertEquals(List.of(4L, 9L), pool.map((Long x) -> x * x, List.of(2L, 3L)));
            Set<java.nio.file.Path> running = ProcessPoolFaultTest.privateDirectories();
            running.removeAll(before);
            assertEquals(Set.of(), running, "a ready worker's rings and FIFOs must be unlinked");
        }
        Set<java.nio.file.Path> after = ProcessPoolFaultTest.privateDirectories();
        after.removeAll(before);
        assertEquals(Set.of(), after);
    }

    @Test
    void anIdlePoolBurnsNoCpu() throws Exception {
        try (ProcessPool pool = pool(2)) {
            assertEquals(List.of(1L, 4L), pool.map((Long x) -> x * x, List.of(1L, 2L)));
            Thread.sleep(100);
            long before = workersCpuNanos(pool);
            Thread.sleep(1_000);
            long used = workersCpuNanos(pool) - before;
            // a spinning waiter would use about 1 s per worker; the workers' JVM housekeeping takes a few ms
            assertTrue(used < Duration.ofMillis(200).toNanos(), "idle workers used " + used / 1_000_000 + " ms of CPU in 1 s");
        }
    }

    private static long workersCpuNanos(ProcessPool pool) {
        return pool.workerPids().stream().mapToLong(p -> ProcessHandle.of(p).orElseThrow().info().totalCpuDuration()
                .orElseThrow().toNanos()).sum();
    }

    @Test
    void aBadTransportPropertyIsOneClearError() {
        String old = System.getProperty("poolbench.pool.transport");
        System.setProperty("poolbench.pool.transport", "carrier-pigeon");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ProcessPool::builder);
            assertEquals("poolbench.pool.transport 'carrier-pigeon' is not one of pipe, shared-memory", e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("poolbench.pool.transport");
            } else {
                System.setProperty("poolbench.pool.transport", old);
            }
        }
    }
}
