package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per transition of the run-state table in {@link ProcessPool}'s javadoc, seen through what the pool does
 * and through {@link ProcessPool#isShutdown()}, {@link ProcessPool#isTerminated()} and
 * {@link ProcessPool#awaitTermination}; then those three methods' own contracts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolStateTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @AfterEach
    void noWorkerLeft() throws InterruptedException {
        PoolTesting.assertNoWorkersLeft();
    }

    /** The message a new task is refused with. */
    private static String refusal(ProcessPool pool) {
        return assertThrows(IllegalStateException.class, () -> pool.applyAsync(x -> x, 1)).getMessage();
    }

    /** Submits a task that creates {@code dir/started} and then waits (bounded) for {@code dir/release}. */
    private static CompletableFuture<Integer> gated(ProcessPool pool, Path dir) throws InterruptedException {
        String started = dir.resolve("started").toString();
        String release = dir.resolve("release").toString();
        CompletableFuture<Integer> f = pool.applyAsync(x -> ProcessPoolTest.awaitRelease(x, started, release), 7);
        PoolTesting.await(() -> Files.exists(dir.resolve("started")), BOUND, "the gated task started");
        return f;
    }

    @Test
    void aReplacementSpawnedWhileThePoolClosesDoesNotOutliveClose() throws Exception {
        for (int round = 0; round < 6; round++) {
            Set<Long> before = PoolTesting.liveWorkers();
            ProcessPool pool = ProcessPool.builder().workers(1).build();
            ProcessHandle.of(pool.workerPids().get(0)).orElseThrow().destroyForcibly(); // its reader spawns another
            Thread.sleep(round * 4L); // close at different moments of that spawn
            pool.close();
            Set<Long> left = new java.util.HashSet<>(PoolTesting.liveWorkers());
            left.removeAll(before);
            assertEquals(Set.of(), left, "a worker JVM outlived close() in round " + round);
        }
    }

    @Test
    void startingToRunning() throws InterruptedException {
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            assertFalse(pool.isShutdown());
            assertFalse(pool.isTerminated());
            assertEquals(2, pool.workerPids().size());
            assertEquals(List.of(2, 3), pool.map(x -> x + 1, List.of(1, 2)));
            assertFalse(pool.awaitTermination(Duration.ofMillis(20)), "a running pool does not terminate");
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
    void runningToClosingToShutdown(@TempDir Path dir) throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        CompletableFuture<Integer> gate = gated(pool, dir);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        PoolTesting.await(pool::isShutdown, BOUND, "close() began"); // CLOSING
        assertTrue(refusal(pool).contains("closed"));
        assertFalse(pool.isTerminated());
        assertFalse(pool.awaitTermination(Duration.ofMillis(50)), "the gated task still runs");
        assertFalse(closing.isDone());
        Files.writeString(dir.resolve("release"), "go");
        closing.get(20, TimeUnit.SECONDS);
        assertEquals(-7, gate.get()); // queued work finished
        assertTrue(pool.isTerminated()); // SHUTDOWN, and close() returned once the workers had exited
        assertTrue(pool.awaitTermination(Duration.ZERO));
        pool.terminate(); // final: a no-op
        assertTrue(refusal(pool).contains("closed"), "still SHUTDOWN, not TERMINATED");
    }

    @Test
    void runningToTerminated() throws InterruptedException {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        List<Long> pids = pool.workerPids();
        pool.terminate();
        assertTrue(pool.isShutdown());
        assertTrue(pool.isTerminated());
        assertEquals(List.of(), pool.workerPids());
        assertEquals(Set.of(), PoolTesting.awaitGone(pids, Duration.ZERO), "terminate() returned: its workers exited");
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
        pool.close(); // final: a no-op
        assertTrue(refusal(pool).contains("terminated"), "still TERMINATED, not SHUTDOWN");
    }

    @Test
    void closingToTerminated(@TempDir Path dir) throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        CompletableFuture<Integer> stuck = gated(pool, dir); // never released
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        PoolTesting.await(pool::isShutdown, BOUND, "close() began"); // CLOSING
        assertFalse(pool.isTerminated());
        pool.terminate();
        closing.get(20, TimeUnit.SECONDS);
        assertTrue(pool.isTerminated());
        assertTrue(refusal(pool).contains("terminated"));
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
            // the dead worker's reader reports the death (and the failed respawn) after apply() has seen it
            assertTrue(pool.awaitTermination(BOUND), "a broken pool has no workers left");
            assertTrue(pool.isShutdown());
            assertTrue(refusal(pool).contains("broken"));
        } finally {
            pool.terminate();
        }
        assertTrue(pool.isTerminated());
        assertTrue(refusal(pool).contains("broken"), "terminate() leaves a broken pool broken");
    }

    // ---- isShutdown, isTerminated, awaitTermination ----------------------------------------------------------------

    @Test
    void awaitTerminationReturnsWhenAnotherThreadClosesThePool(@TempDir Path dir) throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        ExecutorService threads = Executors.newFixedThreadPool(2); // the common pool may have a single thread
        try {
            CompletableFuture<Integer> gate = gated(pool, dir);
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.awaitTermination(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close, threads);
            PoolTesting.await(pool::isShutdown, BOUND, "close() began");
            assertFalse(waiter.isDone(), "the pool cannot terminate while the gated task runs");
            Files.writeString(dir.resolve("release"), "go");
            assertTrue(waiter.get(30, TimeUnit.SECONDS));
            assertTrue(pool.isTerminated());
            assertEquals(-7, gate.get());
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            pool.terminate();
            threads.shutdownNow();
        }
    }

    @Test
    void awaitTerminationTimesOutOnARunningPoolAndThrowsWhenInterrupted() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            assertFalse(pool.awaitTermination(Duration.ZERO));
            assertFalse(pool.awaitTermination(Duration.ofSeconds(-1)));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> pool.awaitTermination(Duration.ofSeconds(30)));
            assertFalse(Thread.interrupted(), "the interrupt status is cleared, as by Condition.awaitNanos");
            assertEquals(List.of(2), pool.map(x -> x + 1, List.of(1)), "the pool still works");
        }
    }

    @Test
    void awaitTerminationOnThePoolsOwnThreadIsRefused(@TempDir Path dir) throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            CompletableFuture<Integer> gate = gated(pool, dir);
            // attached before the task can finish, so it runs on the pool's reader thread when it does
            CompletableFuture<Object> waited = gate.handle((v, e) -> {
                try {
                    return pool.awaitTermination(Duration.ofSeconds(1));
                } catch (IllegalStateException | InterruptedException refused) {
                    return refused;
                }
            });
            Files.writeString(dir.resolve("release"), "go");
            assertTrue(waited.get(30, TimeUnit.SECONDS) instanceof IllegalStateException, "refused, not waited");
        }
    }
}
