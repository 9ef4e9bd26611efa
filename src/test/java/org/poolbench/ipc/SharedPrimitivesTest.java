package org.poolbench.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.poolbench.pool.ProcessPool;

/** RLock, Semaphore and Event between processes: used from ProcessPool workers; cleanup after a killed worker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedPrimitivesTest {

    /** Slots of the bookkeeping array the workers share: holders now, most holders seen, a racy counter. */
    private static final int INSIDE = 0;
    private static final int MOST = 1;
    private static final int COUNT = 2;

    /** Descendants alive when the class began (an earlier class's). */
    private static Set<Long> before = Set.of();

    @BeforeAll
    static void noteEarlierChildren() {
        before = IpcTest.earlierChildren();
    }

    @AfterAll
    static void nothingLeft() throws InterruptedException {
        IpcTest.nothingLeft(before);
    }

    /** Enters: counts this holder in and records the most holders at once. */
    private static void enter(SharedLongArray a) {
        long now = a.getAndAdd(INSIDE, 1) + 1;
        for (long most = a.get(MOST); now > most && !a.compareAndSet(MOST, most, now); most = a.get(MOST)) {
            // another holder raised it first: look again
        }
    }

    /** In a worker: takes the rlock three deep {@code rounds} times, adds 1 racily inside each; returns the holds. */
    static long reenter(String task) {
        String[] f = task.split("/");
        try (SharedRLock lock = SharedRLock.open(f[0]); SharedLongArray a = SharedLongArray.open(f[1])) {
            long deepest = 0;
            for (int i = 0; i < Integer.parseInt(f[2]); i++) {
                lock.lock();
                lock.lock();
                lock.lock();
                deepest = Math.max(deepest, lock.holdCount());
                enter(a);
                a.addRacy(COUNT, 1);
                a.getAndAdd(INSIDE, -1);
                lock.unlock();
                lock.unlock();
                if (lock.holdCount() != 1) {
                    throw new IllegalStateException("hold count " + lock.holdCount() + " after two of three releases");
                }
                lock.unlock();
            }
            return deepest;
        }
    }

    @Test
    void rlockIsReentrantAndExcludesOtherProcesses() throws Exception {
        int rounds = 20_000;
        try (SharedRLock lock = SharedRLock.create(); SharedLongArray a = SharedLongArray.create(3);
             ProcessPool one = ProcessPool.builder().workers(1).build();
             ProcessPool two = ProcessPool.builder().workers(1).build()) {
            String task = lock.name() + "/" + a.name() + "/" + rounds;
            List<CompletableFuture<Long>> running = List.of(one.applyAsync(SharedPrimitivesTest::reenter, task),
                    two.applyAsync(SharedPrimitivesTest::reenter, task));
            for (CompletableFuture<Long> r : running) {
                assertEquals(3, r.get(60, TimeUnit.SECONDS), "deepest hold count in a worker");
            }
            assertEquals(2L * rounds, a.get(COUNT), "updates lost under the rlock");
            assertEquals(1, a.get(MOST), "two processes inside the rlock at once");
            assertEquals(0, lock.holderPid(), "rlock left taken");
        }
    }

    @Test
    void rlockOwnerIsAThreadAndOnlyItMayRelease() throws Exception {
        try (SharedRLock lock = SharedRLock.create(); SharedRLock same = SharedRLock.open(lock.name())) {
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertTrue(lock.tryLock());
            assertTrue(same.tryLock(), "the owning thread re-enters through another attachment too");
            assertEquals(2, lock.holdCount());
            CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> {
                boolean entered = same.tryLock();
                long holds = same.holdCount();
                try {
                    same.unlock();
                    return "released another thread's lock";
                } catch (IllegalMonitorStateException expected) {
                    return "entered " + entered + ", holds " + holds;
                }
            }, r -> Thread.ofPlatform().start(r));
            assertEquals("entered false, holds 0", other.get(10, TimeUnit.SECONDS));
            lock.unlock();
            lock.unlock();
            assertEquals(0, lock.holdCount());
            assertEquals(0, lock.holderPid());
        }
    }

    /** In a worker: takes a permit {@code rounds} times, holding it a moment; returns how often it got one. */
    static long usePermits(String task) {
        String[] f = task.split("/");
        try (SharedSemaphore s = SharedSemaphore.open(f[0]); SharedLongArray a = SharedLongArray.open(f[1])) {
            int rounds = Integer.parseInt(f[2]);
            for (int i = 0; i < rounds; i++) {
                s.acquire();
                enter(a);
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // hold it long enough for others to try
                a.getAndAdd(INSIDE, -1);
                s.release();
            }
            return rounds;
        }
    }

    @Test
    void semaphoreNeverLetsMoreHoldersInThanPermits() throws Exception {
        int workers = 4;
        int rounds = 300;
        try (SharedSemaphore s = SharedSemaphore.create(2); SharedLongArray a = SharedLongArray.create(3);
             ProcessPool pool = ProcessPool.builder().workers(workers).build()) {
            String task = s.name() + "/" + a.name() + "/" + rounds;
            List<Long> done = pool.map(SharedPrimitivesTest::usePermits, IntStream.range(0, workers)
                    .mapToObj(i -> task).toList(), 1);
            assertEquals(List.of((long) rounds, (long) rounds, (long) rounds, (long) rounds), done);
            assertTrue(a.get(MOST) <= 2, "holders at once: " + a.get(MOST) + " with 2 permits");
            assertEquals(0, a.get(INSIDE));
            assertEquals(2, s.availablePermits(), "permits not all given back");
        }
    }

    @Test
    void semaphoreCountsPermits() {
        try (SharedSemaphore s = SharedSemaphore.create(2); SharedSemaphore same = SharedSemaphore.open(s.name())) {
            assertTrue(s.tryAcquire());
            assertTrue(same.tryAcquire(), "a second permit of two was refused");
            assertFalse(s.tryAcquire());
            assertFalse(same.tryAcquire(20, TimeUnit.MILLISECONDS));
            same.release();
            assertEquals(1, s.availablePermits());
            assertTrue(s.tryAcquire());
            assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.create(-1));
        }
    }

    /** In a worker: checks in, waits for the event (at most 30 s); returns 1 if it was set. */
    static long waitFor(String task) {
        String[] f = task.split("/");
        try (SharedEvent e = SharedEvent.open(f[0]); SharedLongArray a = SharedLongArray.open(f[1])) {
            a.getAndAdd(INSIDE, 1);
            return e.await(30, TimeUnit.SECONDS) ? 1 : 0;
        }
    }

    @Test
    void eventWakesEveryWaitingProcess() throws Exception {
        try (SharedEvent e = SharedEvent.create(); SharedLongArray a = SharedLongArray.create(3);
             ProcessPool one = ProcessPool.builder().workers(1).build(); // a pool each: both surely wait at once
             ProcessPool two = ProcessPool.builder().workers(1).build()) {
            assertFalse(e.isSet());
            assertFalse(e.await(10, TimeUnit.MILLISECONDS), "a clear event's wait returned set");
            String task = e.name() + "/" + a.name();
            List<CompletableFuture<Long>> waiting = List.of(one.applyAsync(SharedPrimitivesTest::waitFor, task),
                    two.applyAsync(SharedPrimitivesTest::waitFor, task));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (a.get(INSIDE) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, a.get(INSIDE), "the workers did not start waiting");
            assertFalse(waiting.get(0).isDone() || waiting.get(1).isDone(), "a waiter returned before set()");
            e.set();
            for (CompletableFuture<Long> w : waiting) {
                assertEquals(1, w.get(30, TimeUnit.SECONDS), "a waiter timed out although the event was set");
            }
            assertTrue(e.isSet());
            e.clear();
            assertFalse(e.isSet());
        }
    }

    /** In a worker: creates an rlock (held twice), a semaphore (a permit taken) and an event, then waits on it. */
    static String ownAndWait(String ignored) {
        SharedRLock lock = SharedRLock.create();
        lock.lock();
        lock.lock();
        SharedSemaphore s = SharedSemaphore.create(1);
        s.acquire();
        SharedEvent e = SharedEvent.create();
        Thread.ofPlatform().daemon().start(() -> e.await()); // a waiter that is killed waiting
        return lock.name() + "|" + s.name() + "|" + e.name();
    }

    @Test
    void killedWorkerLeavesNoSegmentAndItsRLockIsTakenOver() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            long pid = pool.workerPids().get(0);
            String[] names = pool.apply(SharedPrimitivesTest::ownAndWait, "x").split("\\|");
            List<Path> files = List.of(names).stream().map(n -> Segment.pathOf(n, "")).toList();
            assertTrue(files.stream().allMatch(Files::exists), "segments not made: " + files);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertTrue(IpcTest.awaitGone(pid), "worker " + pid + " did not die");
            try (SharedRLock lock = SharedRLock.open(names[0])) {
                assertEquals(pid, lock.holderPid());
                assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "a dead owner's rlock was not taken over");
                assertEquals(1, lock.holdCount(), "a taken-over rlock starts at one hold");
                lock.unlock();
                assertEquals(0, lock.holderPid());
            }
            Segment.sweepStale(); // (another JVM's create may have swept them already: only the outcome counts)
            for (Path f : files) {
                assertFalse(Files.exists(f), "segment of a killed owner left: " + f);
            }
        }
    }
}
