package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Faults: dying, exiting, hanging and corrupting workers; recycling; ending the pool; the parent's death. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolFaultTest {

    @AfterEach
    void noWorkerLeft() throws InterruptedException {
        PoolTesting.assertNoWorkersLeft();
    }

    private static ProcessPool pool() {
        return ProcessPool.builder().workers(2).build();
    }

    /** Runs in a worker: task 5 writes its pid to {@code pidFile} and waits (bounded) to be killed. */
    static int blockOnFive(int x, String pidFile) {
        if (x != 5) {
            return x * 10;
        }
        try {
            Path tmp = Path.of(pidFile + ".tmp");
            Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
            Files.move(tmp, Path.of(pidFile)); // atomic: the test never reads half a pid
            Thread.sleep(30_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return -1;
    }

    @Test
    void killingAWorkerMidMapFailsOnlyItsTasksAndThePoolGoesOn(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        String path = pidFile.toString();
        try (ProcessPool pool = pool()) {
            List<Long> before = pool.workerPids();
            CompletableFuture<Long> killer = CompletableFuture.supplyAsync(() -> {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    long pid = Long.parseLong(Files.readString(pidFile));
                    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
                    return pid;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Integer> xs = IntStream.range(0, 20).boxed().toList();
            Iterator<Integer> it = pool.imap(x -> blockOnFive(x, path), xs, 1);
            List<Object> outcomes = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    outcomes.add(it.next());
                } catch (WorkerDiedException e) {
                    outcomes.add(e);
                }
            }
            long killed = killer.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < xs.size(); i++) {
                if (i == 5) {
                    WorkerDiedException e = assertInstanceOf(WorkerDiedException.class, outcomes.get(i));
                    assertEquals(killed, e.pid());
                    assertEquals(9, e.signal().orElse(-1), e.getMessage());
                    assertTrue(e.getMessage().contains("task 5"), e.getMessage());
                } else {
                    assertEquals(i * 10, outcomes.get(i), "task " + i);
                }
            }
            assertTrue(before.contains(killed));
            assertEquals(List.of(0, 10, 20), pool.map(x -> x * 10, List.of(0, 1, 2)));
            // the replacement is spawned outside the pool's lock, so it may still be starting: wait for it (bounded)
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pool.workerPids().size() < 2 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            List<Long> after = pool.workerPids();
            assertEquals(2, after.size());
            assertTrue(!after.contains(killed), "the dead worker was replaced");

            // map reports the death as its failure
            Files.delete(pidFile);
            CompletableFuture<Void> killer2 = CompletableFuture.runAsync(() -> {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    ProcessHandle.of(Long.parseLong(Files.readString(pidFile))).orElseThrow().destroyForcibly();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(WorkerDiedException.class, () -> pool.map(x -> blockOnFive(x, path), xs, 2));
            killer2.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(7L), pool.map(x -> x + 1, List.of(6L)));
        }
    }

    @Test
    void aTaskThatExitsOrHaltsFailsWithItsExitCode() {
        try (ProcessPool pool = pool()) {
            WorkerDiedException exit = assertThrows(WorkerDiedException.class, () -> pool.apply(x -> {
                System.err.println("about to exit " + x);
                System.exit(x);
                return x;
            }, 3));
            assertEquals(3, exit.exitCode());
            assertTrue(exit.stderrTail().contains("about to exit 3"), exit.stderrTail().toString());
            WorkerDiedException halt = assertThrows(WorkerDiedException.class, () -> pool.apply(x -> {
                Runtime.getRuntime().halt(x);
                return x;
            }, 7));
            assertEquals(7, halt.exitCode());
            assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3), 1));
        }
    }

    @Test
    void aHangingTaskTimesOutAndItsWorkerIsReplaced() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).taskTimeout(Duration.ofMillis(500)).build()) {
            TaskTimeoutException e = assertThrows(TaskTimeoutException.class, () -> pool.apply(PoolTesting::sleep, 60_000L));
            assertEquals(Duration.ofMillis(500), e.timeout());
            assertEquals(9, e.signal().orElse(-1));
            assertEquals(List.of(2L, 3L), pool.map(x -> x + 1, List.of(1L, 2L), 1));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // the replacement may still be starting
            while (pool.workerPids().size() < 2 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(2, pool.workerPids().size());
        }
    }

    @Test
    void rawBytesOnStdoutAreTheTasksOutputNotTheProtocols() {
        try (ProcessPool pool = pool()) {
            List<Long> pids = pool.workerPids();
            assertEquals(List.of(1, 2, 3, 4), pool.map(PoolTesting::writeToStdout, List.of(1, 2, 3, 4), 1));
            assertEquals(pids, pool.workerPids(), "no worker was harmed");
        }
    }

    @Test
    void maxTasksPerChildRecyclesWorkers() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(1).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                pids.add(pool.apply(PoolTesting::pid, i));
            }
            assertEquals(5, new HashSet<>(pids).size(), "every task ran in a fresh worker: " + pids);
            List<Long> mapped = pool.map(PoolTesting::pid, IntStream.range(0, 6).boxed().toList(), 1);
            assertEquals(6, new HashSet<>(mapped).size(), mapped.toString());
        }
        try (ProcessPool pool = ProcessPool.builder().workers(1).maxTasksPerChild(3).build()) {
            List<Long> pids = pool.map(PoolTesting::pid, IntStream.range(0, 9).boxed().toList(), 1);
            assertEquals(3, new HashSet<>(pids).size(), pids.toString());
            assertEquals(Set.of(pids.get(0)), Set.copyOf(pids.subList(0, 3)));
        }
    }

    @Test
    void closeFinishesQueuedWorkAndLeavesNothingRunning() throws Exception {
        ProcessPool pool = pool();
        List<Long> pids = pool.workerPids();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(pool.applyAsync(x -> PoolTesting.sleep(20) * 0 + x * 2, i));
        }
        pool.close();
        for (int i = 0; i < 10; i++) {
            assertEquals(i * 2L, futures.get(i).getNow(-1L), "finished before close() returned");
        }
        assertEquals(Set.of(), PoolTesting.awaitGone(pids, Duration.ZERO), "close() waits for the workers");
        pool.close();
        pool.terminate();
        assertThrows(IllegalStateException.class, () -> pool.apply(x -> x, 1));
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(x -> x, 1));
    }

    @Test
    void terminateKillsNowAndFailsPendingTasks() throws Exception {
        ProcessPool pool = pool();
        List<Long> pids = pool.workerPids();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            futures.add(pool.applyAsync(PoolTesting::sleep, 30_000L));
        }
        pool.terminate();
        for (CompletableFuture<Long> f : futures) {
            assertThrows(CancellationException.class, () -> f.get(10, TimeUnit.SECONDS));
        }
        assertEquals(Set.of(), PoolTesting.awaitGone(pids, Duration.ZERO));
        pool.terminate();
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.apply(x -> x, 1));
    }

    @Test
    void aWorkerThatCannotStartFailsTheBuildWithItsStderr() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProcessPool.builder().workers(2).jvmArgs("-XX:+NoSuchFlagForPoolbench").build());
        assertTrue(e.getMessage().contains("NoSuchFlagForPoolbench"), e.getMessage());
    }

    /** The workers' private directories (their FIFOs and progress files) under the temp directory now. */
    /** Workers' private directories in java.io.tmpdir (pipes) and /dev/shm (shared memory). */
    static Set<Path> privateDirectories() throws Exception {
        Set<Path> all = new HashSet<>();
        for (Path parent : List.of(Path.of(System.getProperty("java.io.tmpdir")), WorkerCommand.SHM)) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (var files = Files.list(parent)) {
                all.addAll(files.filter(f -> f.getFileName().toString().matches("poolbench-\\d+"))
                        .filter(f -> Files.exists(f.resolve(Worker.REQUESTS)) || Files.exists(f.resolve(Worker.PROGRESS))
                                || Files.exists(f.resolve(Worker.REQUESTS_RING)))
                        .toList());
            }
        }
        return all;
    }

    @Test
    void theWorkersPipesAreRemovedOnceTheyAnswerAndWhenTheyCannotStart() throws Exception {
        Set<Path> before = privateDirectories();
        try (ProcessPool pool = pool()) {
            assertEquals(List.of(4L, 9L), pool.map((Long x) -> x * x, List.of(2L, 3L)));
            Set<Path> running = privateDirectories();
            running.removeAll(before);
            assertEquals(Set.of(), running, "a ready worker's FIFOs must be gone: nothing else may open them");
        }
        assertThrows(IllegalStateException.class,
                () -> ProcessPool.builder().workers(2).jvmArgs("-XX:+NoSuchFlagForPoolbench").build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Path> left;
        do { // removed when the dead JVM's exit is seen, which may trail the failed build by a moment
            left = privateDirectories();
            left.removeAll(before);
        } while (!left.isEmpty() && System.nanoTime() < deadline && sleep(50));
        assertEquals(Set.of(), left, "a worker that died before its handshake must not leave its FIFOs behind");
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    /** A task that waits (bounded) for {@code release} to exist: its future is surely incomplete until then. */
    private static CompletableFuture<Integer> gated(ProcessPool pool, Path dir) {
        String started = dir.resolve("started").toString();
        String release = dir.resolve("release").toString();
        return pool.applyAsync(x -> ProcessPoolTest.awaitRelease(x, started, release), 1);
    }

    @Test
    void waitingOnThePoolsOwnThreadIsRefusedNotDeadlocked(@TempDir Path dir) throws Exception {
        try (ProcessPool pool = pool()) {
            CompletableFuture<Integer> gate = gated(pool, dir);
            // attached before the task can finish, so these run on the pool's reader thread when it does
            CompletableFuture<Object> closed = gate.handle((v, e) -> refused(pool::close));
            CompletableFuture<Object> applied = gate.handle((v, e) -> refused(() -> pool.apply(x -> x, 2L)));
            CompletableFuture<Object> mapped = gate.handle((v, e) -> refused(() -> pool.map(x -> x, List.of(1))));
            Files.writeString(dir.resolve("release"), "go");
            // Wait on the dependents, not on gate: a thread waiting in gate.get() may run gate's dependents itself.
            assertInstanceOf(IllegalStateException.class, closed.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, applied.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, mapped.get(30, TimeUnit.SECONDS));
            assertEquals(-1, gate.getNow(0));
            assertEquals(List.of(3), pool.map(x -> x + 1, List.of(2)));
        }
    }

    private static Object refused(Runnable call) {
        try {
            call.run();
            return "not refused";
        } catch (IllegalStateException e) {
            return e;
        }
    }

    @Test
    void aCallbackOnAFailedFutureMaySubmitToThePool() throws Exception {
        try (ProcessPool pool = pool()) {
            CompletableFuture<Long> died = pool.applyAsync(x -> {
                Runtime.getRuntime().halt(9);
                return x;
            }, 1L);
            // may run on the pool's thread that saw the death: the pool's lock must not be held there
            CompletableFuture<Long> next = died.handle((v, e) -> pool.applyAsync(x -> x + 1, 41L))
                    .thenCompose(f -> f);
            assertEquals(42L, next.get(30, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> died.get(30, TimeUnit.SECONDS));
            assertInstanceOf(WorkerDiedException.class, e.getCause());
        }
    }

    @Test
    void workersDieWithTheirParentEvenOnSigkill() throws Exception {
        String java = org.poolbench.jvm.JavaBinary.command();
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanParent.class.getName(), ProcessPool.Transport.byDefault().name()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> pids;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("PIDS "), "parent said: " + line);
            pids = Arrays.stream(line.substring(5).split(" ")).map(Long::parseLong).toList();
            assertEquals(2, pids.size());
            assertTrue(pids.stream().allMatch(p -> ProcessHandle.of(p).isPresent()));
        } finally {
            parent.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        }
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        Set<Long> alive = PoolTesting.awaitGone(pids, Duration.ofSeconds(2));
        String who = alive.stream().map(p -> ProcessHandle.of(p).map(h -> p + " " + h.info() + " parent "
                + h.parent().map(ProcessHandle::pid)).orElse(p + " gone")).toList().toString();
        // a zombie (exited, not yet collected by its new parent) counts as gone: see PoolTesting.running
        alive.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        assertEquals(Set.of(), alive, "workers outlived their SIGKILLed parent by 2 s: " + who);
    }
}
