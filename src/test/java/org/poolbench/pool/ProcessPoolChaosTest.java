package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three defects the soak ({@code ./run-bench.sh soak}) found, one test each; every one of them failed (hung past its
 * bound or got the wrong exception) on the code before the fix.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolChaosTest {

    @AfterEach
    void noWorkerLeft() throws InterruptedException {
        PoolTesting.assertNoWorkersLeft();
    }

    /** Runs in a worker: writes five bytes to fd 1 that read as a plausible frame header (length 16 MiB). */
    static int writePlausibleHeader(int x) {
        try {
            FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
            raw.write(new byte[] {0x00, 0x10, 0x00, 0x00, 0x0b});
            raw.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return x;
    }

    /** Defect 1: the parent waited for a 16 MiB body that never came; the call and close() hung. */
    @Test
    void bytesOnFileDescriptorOneThatLookLikeAHeaderNeverHang() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            CompletableFuture<Integer> f = pool.applyAsync(ProcessPoolChaosTest::writePlausibleHeader, 7);
            assertEquals(7, f.get(20, TimeUnit.SECONDS)); // before the fix: TimeoutException
            assertEquals(List.of(2, 3), pool.map(x -> x + 1, List.of(1, 2)));
        }
    }

    /** Runs in a worker: prints to fd 1 through System.out and straight to the descriptor, then dies. */
    static int printThenDie(int x) {
        System.out.println("via System.out " + x);
        writePlausibleHeader(x);
        System.out.flush();
        Runtime.getRuntime().halt(42);
        return x;
    }

    @Test
    void whatATaskWritesToStdoutIsItsOutputAndShowsInTheTail() {
        try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            WorkerDiedException e = assertThrows(WorkerDiedException.class,
                    () -> pool.apply(ProcessPoolChaosTest::printThenDie, 5));
            assertEquals(42, e.exitCode());
            assertTrue(e.stderrTail().contains("[stdout] via System.out 5"), e.stderrTail().toString());
            assertEquals(List.of(2, 3), pool.map(x -> x + 1, List.of(1, 2)));
        }
    }

    /** Defect 3: a result not on the allow-list, nested in a list, killed the worker and failed its whole chunk. */
    @Test
    void anUnreadableResultNestedInAListFailsOnlyItsTask() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            List<Long> pids = pool.workerPids();
            List<Integer> xs = IntStream.range(0, 6).boxed().toList();
            Iterator<Object> it = pool.imap(x -> x == 3 ? new ArrayList<Object>(List.of(URI.create("a:" + x))) : x,
                    xs, 6);
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    TaskFailedException e = assertThrows(TaskFailedException.class, it::next);
                    assertTrue(e.getMessage().contains("java.net.URI"), e.getMessage());
                } else {
                    assertEquals(i, it.next());
                }
            }
            assertEquals(pids, pool.workerPids(), "no worker was killed");
        }
    }

    /** Defect 2a: a chunk of k tasks was allowed k × timeout, so a hung task was found only after minutes. */
    @Test
    void aHungTaskInsideABigChunkTimesOutWithinItsOwnTimeout() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).taskTimeout(Duration.ofSeconds(1)).build()) {
            List<Long> xs = IntStream.range(0, 50).mapToObj(i -> (long) i).toList();
            long start = System.nanoTime();
            TaskTimeoutException e = assertThrows(TaskTimeoutException.class,
                    () -> pool.map(x -> x == 10 ? PoolTesting.sleep(600_000) : x, xs, 50));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            // a behaviour bound, not a timing: 1 s timeout + margin; the old rule allowed 50 s
            assertTrue(seconds < 15, "timed out only after " + seconds + " s");
            assertTrue(e.getMessage().contains("task 10"), e.getMessage());
            assertEquals(List.of(2L, 3L), pool.map(x -> x + 1, List.of(1L, 2L), 1));
        }
    }

    /** Defect 2b: without a timeout, a chunk sent behind a hung task waited there although a worker was idle. */
    @Test
    void aChunkQueuedBehindAStuckWorkerMovesToAnIdleOne() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(2).build();
        try {
            CompletableFuture<Long> stuck = pool.applyAsync(PoolTesting::sleep, 600_000L);
            List<Long> xs = IntStream.range(0, 20).mapToObj(i -> (long) i).toList();
            CompletableFuture<List<Long>> rest = CompletableFuture.supplyAsync(
                    () -> pool.map(x -> PoolTesting.sleep(20) + x, xs, 1));
            List<Long> expected = xs.stream().map(x -> x + 20).toList();
            assertEquals(expected, rest.get(30, TimeUnit.SECONDS)); // before the fix: TimeoutException
            assertTrue(!stuck.isDone());
        } finally {
            pool.terminate();
        }
    }

    /**
     * Once short chunks have widened the window, many chunks wait behind a task that hangs: all of them move to the
     * idle worker, not only the first (with one chunk taken back per hang, the rest waited for ever).
     */
    @Test
    void everyChunkQueuedBehindAStuckWorkerMovesWhenTheWindowIsWide() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(2).build();
        try {
            List<Long> warm = IntStream.range(0, 20_000).mapToObj(i -> (long) i).toList();
            for (int round = 0; round < 3; round++) { // tiny chunks: each worker's window grows to its widest
                assertEquals(warm, pool.map(x -> x, warm, 1));
            }
            CompletableFuture<Long> stuck = pool.applyAsync(PoolTesting::sleep, 600_000L);
            List<Long> xs = IntStream.range(0, 2_000).mapToObj(i -> (long) i).toList();
            CompletableFuture<List<Long>> rest = CompletableFuture.supplyAsync(() -> pool.map(x -> x + 1, xs, 1));
            assertEquals(xs.stream().map(x -> x + 1).toList(), rest.get(30, TimeUnit.SECONDS));
            assertTrue(!stuck.isDone());
        } finally {
            pool.terminate();
        }
    }

    /**
     * A task that runs long enough for the chunk behind it to be taken back, then kills its worker, ran: it fails with
     * the death and never runs again (the gate then held the take-back's mark, and the pool once read that as "never
     * began" and ran the task a second time).
     */
    @Test
    void aTaskThatKillsItsWorkerAfterATakeBackRunsOnce(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        String runsPath = runs.toString();
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            CompletableFuture<Long> dying = pool.applyAsync(x -> PoolTesting.logThenHalt(runsPath, 400), 0L);
            PoolTesting.await(() -> Files.exists(runs), Duration.ofSeconds(30), "the task started");
            // its worker's writer takes one of these to wait behind it; the other worker runs the rest, goes idle, and
            // the watchdog moves the waiting one after 50 ms
            List<Long> xs = IntStream.range(0, 20).mapToObj(i -> (long) i).toList();
            assertEquals(xs.stream().map(x -> x + 1).toList(), pool.map(x -> x + 1, xs, 1));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> dying.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof WorkerDiedException, e.getCause().toString());
            assertEquals(1, Files.readAllLines(runs).size(), "the task ran more than once: " + Files.readAllLines(runs));
        }
    }

    /** After terminate(), the hung task's future fails with CancellationException, not a hang. */
    @Test
    void terminateEndsAHungTaskAtOnce(@TempDir Path dir) throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        Path started = dir.resolve("started");
        String startedPath = started.toString();
        CompletableFuture<Long> stuck = pool.applyAsync(x -> PoolTesting.markThenHang(startedPath), 0L);
        // the task itself is running in the worker (not waiting in a queue) when the pool is terminated
        PoolTesting.await(() -> Files.exists(started), Duration.ofSeconds(30), "the task started");
        pool.terminate();
        assertThrows(CancellationException.class, () -> stuck.get(10, TimeUnit.SECONDS));
        Throwable why = stuck.handle((v, t) -> t).join(); // get() wraps it in a CancellationException of its own
        assertTrue(why.getMessage().contains("pool terminated"), why.getMessage());
        assertTrue(pool.isTerminated());
    }
}
