package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per transition of the run-state table in {@link ProcessPool}'s javadoc. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolStateTest {

    @AfterEach
    void noWorkerLeft() throws InterruptedException {
        PoolTesting.assertNoWorkersLeft();
    }

    private static String state(ProcessPool pool) {
        String s = pool.toString();
        return s.substring(s.indexOf('[') + 1, s.indexOf(','));
    }

    private static void awaitState(ProcessPool pool, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!state(pool).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, state(pool));
    }

    @Test
    void startingToRunning() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            assertEquals("running", state(pool));
            assertEquals(2, pool.workerPids().size());
        }
    }

    @Test
    void startingToTerminatedWhenASpawnThrowsLeavesNoWorkerAndNoLockHeld() {
        AtomicInteger spawns = new AtomicInteger();
        // the second spawn throws a RuntimeException: the first worker must still be killed and reaped (before the
        // fix the lock stayed held, terminate() never ran, and the first worker was left behind)
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcessPool.builder().workers(2)
                .spawnHook(slot -> {
                    if (spawns.incrementAndGet() == 2) {
                        throw new UnsupportedOperationException("spawn " + slot + " refused by the test");
                    }
                }).build());
        assertTrue(e.getMessage().contains("refused by the test"), e.getMessage());
    }

    @Test
    void runningToClosingToShutdown() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        CompletableFuture<Long> slow = pool.applyAsync(PoolTesting::sleep, 1_500L);
        Thread.sleep(100);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        awaitState(pool, "closing");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.applyAsync(x -> x, 1));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        closing.get(20, TimeUnit.SECONDS);
        assertEquals(1_500L, slow.get()); // queued work finished
        assertEquals("shutdown", state(pool));
        pool.terminate(); // final: a no-op
        assertEquals("shutdown", state(pool));
    }

    @Test
    void runningToTerminated() {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        pool.terminate();
        assertEquals("terminated", state(pool));
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
        pool.close(); // final: a no-op
        assertEquals("terminated", state(pool));
    }

    @Test
    void closingToTerminated() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        CompletableFuture<Long> stuck = pool.applyAsync(PoolTesting::sleep, 600_000L);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        awaitState(pool, "closing");
        pool.terminate();
        closing.get(20, TimeUnit.SECONDS);
        assertEquals("terminated", state(pool));
        assertThrows(CancellationException.class, () -> stuck.get(10, TimeUnit.SECONDS));
    }

    @Test
    void runningToBrokenWhenAReplacementCannotBeSpawned() throws Exception {
        AtomicInteger spawns = new AtomicInteger();
        ProcessPool pool = ProcessPool.builder().workers(1)
                .spawnHook(slot -> {
                    if (spawns.incrementAndGet() > 1) {
                        throw new UnsupportedOperationException("no more workers");
                    }
                }).build();
        try {
            assertThrows(WorkerDiedException.class, () -> pool.apply(x -> {
                Runtime.getRuntime().halt(7);
                return x;
            }, 1));
            awaitState(pool, "broken");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.apply(x -> x, 1));
            assertTrue(e.getMessage().contains("broken"), e.getMessage());
        } finally {
            pool.terminate();
        }
        assertEquals("broken", state(pool));
    }
}
