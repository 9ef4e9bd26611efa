package org.poolbench.examples;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.poolbench.ipc.SharedEvent;
import org.poolbench.ipc.SharedLongArray;
import org.poolbench.ipc.SharedRLock;
import org.poolbench.ipc.SharedSemaphore;
import org.poolbench.pool.ProcessPool;

/**
 * The material's other synchronization primitives between processes, in one run of four worker JVMs:
 * {@code Event} (the workers check in and wait until the parent sets it), {@code Semaphore(2)} (at most two workers
 * in the guarded part at once: the most seen is counted in shared memory) and {@code RLock} (a worker takes it,
 * then calls a helper that takes it again: CPython's reason for an RLock).
 *
 * <pre>java -cp target/benchmarks.jar org.poolbench.examples.SyncPrimitives</pre>
 */
public final class SyncPrimitives {

    private static final int CHECKED_IN = 0;
    private static final int INSIDE = 1;
    private static final int MOST = 2;
    private static final int TOTAL = 3;
    private static final int DEEPEST = 4;
    private static final int ROUNDS = 200;

    private SyncPrimitives() {
    }

    /** In a worker: "event/semaphore/rlock/array". */
    static long work(String names) {
        String[] n = names.split("/");
        try (SharedEvent go = SharedEvent.open(n[0]); SharedSemaphore two = SharedSemaphore.open(n[1]);
             SharedRLock lock = SharedRLock.open(n[2]); SharedLongArray a = SharedLongArray.open(n[3])) {
            a.getAndAdd(CHECKED_IN, 1);
            if (!go.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the event was not set in 60 s");
            }
            for (int i = 0; i < ROUNDS; i++) {
                two.acquire();
                long now = a.getAndAdd(INSIDE, 1) + 1;
                for (long most = a.get(MOST); now > most && !a.compareAndSet(MOST, most, now); most = a.get(MOST)) {
                    // raised by another worker meanwhile: look again
                }
                LockSupport.parkNanos(100_000); // stay a moment, so that others try to enter
                a.getAndAdd(INSIDE, -1);
                two.release();
                lock.lock();
                try {
                    addToTotal(lock, a); // takes the lock again: fine for an RLock, a deadlock for a Lock
                } finally {
                    lock.unlock();
                }
            }
            return ROUNDS;
        }
    }

    private static void addToTotal(SharedRLock lock, SharedLongArray a) {
        lock.lock();
        try {
            a.set(DEEPEST, Math.max(a.get(DEEPEST), lock.holdCount()));
            a.addRacy(TOTAL, 1); // a read and a write: safe only because the lock is held
        } finally {
            lock.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        int workers = 4;
        // one one-worker pool per worker: a shared pool could queue two tasks on one worker, and the second would
        // not check in before the event is set
        List<ProcessPool> pools = IntStream.range(0, workers)
                .mapToObj(i -> ProcessPool.builder().workers(1).build()).toList();
        try (SharedEvent go = SharedEvent.create(); SharedSemaphore two = SharedSemaphore.create(2);
             SharedRLock lock = SharedRLock.create(); SharedLongArray a = SharedLongArray.create(5)) {
            String names = go.name() + "/" + two.name() + "/" + lock.name() + "/" + a.name();
            List<CompletableFuture<Long>> running = pools.stream()
                    .map(p -> p.applyAsync(SyncPrimitives::work, names)).toList();
            while (a.get(CHECKED_IN) < workers) {
                Thread.sleep(5);
            }
            System.out.println("Event: " + workers + " workers checked in and wait; none done yet: "
                    + running.stream().noneMatch(CompletableFuture::isDone) + "; set()");
            go.set();
            for (CompletableFuture<Long> r : running) {
                r.get(120, TimeUnit.SECONDS);
            }
            System.out.println("Semaphore(2): most workers inside at once: " + a.get(MOST) + "; permits free at the"
                    + " end: " + two.availablePermits());
            System.out.println("RLock: deepest hold " + a.get(DEEPEST) + "; total " + a.get(TOTAL) + " of "
                    + workers * ROUNDS + " racy adds under it");
        } finally {
            pools.forEach(ProcessPool::close);
        }
    }
}
