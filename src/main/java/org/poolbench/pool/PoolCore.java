package org.poolbench.pool;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The machinery behind a {@link ProcessPool}: its run state, the queue of chunks, the worker slots, spawning and
 * replacing workers, the watchdog, and the ending. {@link ProcessPool} turns calls into chunks and hands them here;
 * {@link Worker}s take chunks from here and report results and deaths back. One lock guards it all; callbacks of a
 * caller's futures are never run while it is held.
 */
final class PoolCore {

    /** The pool whose thread this is, on the pool's own threads: they must never wait for the pool. */
    static final ThreadLocal<PoolCore> OWNER = new ThreadLocal<>();

    /**
     * The run states, in the order a pool goes through them (the transitions are in {@link ProcessPool}'s javadoc).
     * Compared by order, as {@link java.util.concurrent.ThreadPoolExecutor} compares its own: below CLOSING a pool
     * accepts tasks, below SHUTDOWN it keeps its workers, from SHUTDOWN on the state is final, and from TERMINATED on
     * unfinished chunks fail instead of running elsewhere.
     */
    private enum State { STARTING, RUNNING, CLOSING, SHUTDOWN, TERMINATED, BROKEN }

    private static final int START_FAILURES_BEFORE_BROKEN = 3;

    private final int maxTasksPerChild;
    private final ObjectInputFilter filter;
    private final LinkedBlockingDeque<Chunk> queue = new LinkedBlockingDeque<>();
    private final int workers;
    private final Duration taskTimeout;
    private final WorkerCommand launcher;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Condition terminated = lock.newCondition();
    /** Replacement workers being spawned (guarded by lock): ending the pool waits for them, so none outlives it. */
    private int replacing;
    private final Condition replaced = lock.newCondition();
    private final Worker[] slots; // guarded by lock
    /** Results that the thread waiting for them read from a worker's ring itself ({@link Worker#sendAndAwait}). */
    final LongAdder resultsReadByCallers = new LongAdder();
    /** Argument payloads of ended chunks, for the next ones. */
    final PayloadArrays payloads = new PayloadArrays();
    private State state = State.STARTING; // guarded by lock
    /** Chunks submitted and not finished; reaching 0 is signalled on {@link #idle} under the lock. */
    private final AtomicInteger pending = new AtomicInteger();
    private int startFailures;            // consecutive workers that died before their handshake
    private int nextSlot;                 // where idleWorker() starts looking: the worker used last
    private int live;                     // workers spawned whose reader has not yet reported their end
    private final ArrayDeque<Map.Entry<Chunk, RuntimeException>> deferred = new ArrayDeque<>();
    private RuntimeException brokenBy;
    private final Thread watchdog;

    PoolCore(ProcessPoolBuilder b) {
        this.workers = b.workers;
        this.maxTasksPerChild = b.maxTasksPerChild;
        this.taskTimeout = b.taskTimeout;
        String filterPattern = "maxdepth=200;maxarray=" + b.maxArrayLength + ";maxrefs=" + b.maxReferences
                + ";maxbytes=" + b.maxBytes + ";" + String.join(";", b.allowed) + ";!*";
        this.filter = WireSerialization.filter(filterPattern);
        WorkerCommand.Initializer init = b.initializer == null ? null
                : new WorkerCommand.Initializer(FunctionCache.of(b.initializer, (byte) 1), b.initArg);
        this.launcher = new WorkerCommand(b.jvmArgs, filterPattern, init, b.spawnHook,
                WorkerCommand.usable(b.transport));
        this.slots = new Worker[workers];
        this.watchdog = Thread.ofPlatform().daemon().name("poolbench-pool-watchdog").unstarted(() -> {
            OWNER.set(this);
            new Watchdog(this, b.startTimeout, b.taskTimeout).run();
        });
    }

    /** Spawns every worker and waits for their handshakes: STARTING to RUNNING, or to TERMINATED and a throw. */
    void start() {
        List<Worker> started = new ArrayList<>(workers);
        try {
            for (int i = 0; i < workers; i++) {
                Worker w = spawn(i); // outside the lock: the JVMs boot in parallel, each reader awaits its handshake
                started.add(w);
                lock.lock();
                try {
                    slots[i] = w;
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException | RuntimeException e) {
            terminate(); // no lock is held here: the workers already started are killed and reaped
            throw new IllegalStateException("cannot start a worker process " + launcher + ": " + e, e);
        }
        watchdog.start();
        try {
            for (Worker w : started) { // not snapshot(): a worker that died already has left its slot
                w.awaitReady(); // bounded: the watchdog kills a worker that misses the start timeout
            }
        } catch (ExecutionException e) {
            terminate();
            throw new IllegalStateException("a worker failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            terminate();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while starting workers");
        }
        lock.lock();
        try {
            advanceRunState(State.RUNNING);
        } finally {
            lock.unlock();
        }
    }

    private Worker spawn(int slot) throws IOException {
        Worker w = launcher.launch(this, slot);
        lock.lock();
        try {
            live++; // before its reader starts: the reader's report of its end counts it out
        } finally {
            lock.unlock();
        }
        try {
            launcher.start(w);
        } catch (IOException | RuntimeException e) {
            workerGone(); // its reader never started
            throw e;
        }
        return w;
    }

    /** An argument could not be encoded: take back the call's chunks that no worker has taken yet. */
    void withdraw(List<Chunk> chunks) {
        lock.lock();
        try {
            for (Chunk c : chunks) {
                if (queue.remove(c)) {
                    failChunk(c, new CancellationException("withdrawn: another argument of the call cannot be sent"));
                }
            }
        } finally {
            unlockAndDeliver();
        }
    }

    // ---- scheduling ---------------------------------------------------------------------------------------------

    void enqueue(List<Chunk> chunks, boolean allowDirect) {
        enqueue(chunks, allowDirect, false);
    }

    /**
     * Queues {@code chunks}; a single chunk with {@code allowDirect} goes straight to an idle worker from this
     * thread. {@code callerWaits}: this thread waits for that chunk's result next, so it may read it from the
     * worker's ring itself ({@link Worker#sendAndAwait}); the call then returns when it has the result or has left it
     * to the worker's reader thread.
     */
    void enqueue(List<Chunk> chunks, boolean allowDirect, boolean callerWaits) {
        Worker direct = null;
        lock.lock();
        try {
            checkUsable();
            pending.addAndGet(chunks.size());
            if (allowDirect && chunks.size() == 1 && queue.isEmpty()) {
                direct = idleWorker();
            }
            if (direct == null) {
                queue.addAll(chunks); // under the lock, so that terminate() sees every chunk it must fail
            }
        } finally {
            lock.unlock();
        }
        if (direct != null && !(callerWaits ? direct.sendAndAwait(chunks.get(0)) : direct.sendDirect(chunks.get(0)))) {
            requeue(chunks.get(0));
        }
    }

    /**
     * An idle worker, the one used last if it is idle: one after another, single tasks then go to a worker that has
     * just run one, which took 11 µs of worker CPU per {@code apply} against 16 µs when they rotated over two
     * workers (RoundTripPairProbe, docs/POOL.md "Tried and dropped"). Tasks that come together still spread: a busy worker
     * is passed over.
     */
    private Worker idleWorker() {
        for (int i = 0; i < slots.length; i++) {
            Worker w = slots[(nextSlot + i) % slots.length];
            if (w != null && w.isIdle()) {
                nextSlot = w.slot;
                return w;
            }
        }
        return null;
    }

    void checkUsable() {
        lock.lock();
        try {
            if (runStateAtLeast(State.CLOSING)) {
                throw state == State.BROKEN ? new IllegalStateException("pool is broken: workers cannot start", brokenBy)
                        : new IllegalStateException("pool is " + (state == State.TERMINATED ? "terminated" : "closed"));
            }
        } finally {
            lock.unlock();
        }
    }

    /** A worker took a chunk but died before it could hold it: run it elsewhere, or fail it if nothing will. */
    void requeue(Chunk c) {
        lock.lock();
        try {
            if (runStateAtLeast(State.TERMINATED)) {
                failChunk(c, ended());
            } else {
                queue.addFirst(c);
            }
        } finally {
            unlockAndDeliver();
        }
    }

    void finish(Chunk c, Object values, long pid) {
        if (c.claim()) {
            payloads.give(c.payload);
            try {
                c.sink.done(c, values, pid);
            } finally {
                chunkFinished();
            }
        }
    }

    private void failChunk(Chunk c, RuntimeException error) {
        if (lock.isHeldByCurrentThread()) { // never run a caller's callbacks (applyAsync) while holding our lock
            deferred.addLast(Map.entry(c, error));
            return;
        }
        if (c.claim()) {
            payloads.give(c.payload);
            try {
                c.sink.failed(c, error);
            } finally {
                chunkFinished();
            }
        }
    }

    /** Unlocks, then delivers the failures decided while locked. */
    private void unlockAndDeliver() {
        List<Map.Entry<Chunk, RuntimeException>> out = List.copyOf(deferred);
        deferred.clear();
        lock.unlock();
        for (Map.Entry<Chunk, RuntimeException> e : out) {
            failChunk(e.getKey(), e.getValue());
        }
    }

    private void chunkFinished() {
        // Not under the pool's lock for every chunk: the readers of all workers took turns at it. Only the last one
        // signals, under the lock, so a closer that saw pending > 0 under the lock is already waiting for it.
        if (pending.decrementAndGet() == 0) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private RuntimeException ended() {
        return brokenBy != null ? new CancellationException("pool is broken: " + brokenBy.getMessage())
                : new CancellationException("pool terminated");
    }

    void workerReady(Worker w) {
        lock.lock();
        try {
            startFailures = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called once per worker, by its reader thread, after its process ended: its chunks fail or run elsewhere, its
     * slot is refilled if the pool still wants workers, and then it no longer counts as live.
     */
    void workerDied(Worker w, List<Chunk> held, int exit, String reason, boolean timedOut) {
        try {
            settleDeath(w, held, exit, reason, timedOut);
        } finally {
            workerGone();
        }
    }

    private void settleDeath(Worker w, List<Chunk> held, int exit, String reason, boolean timedOut) {
        List<String> tail = w.stderrTail();
        String how = reason != null ? reason + "; " + WorkerDiedException.describeExit(exit)
                : WorkerDiedException.describeExit(exit);
        w.handshakeFailed(new WorkerDiedException(
                "worker pid " + w.pid + " ended before its handshake (" + how + ")", w.pid, exit, tail));
        boolean respawn = false;
        lock.lock();
        try {
            boolean ending = runStateAtLeast(State.TERMINATED);
            for (int i = held.size() - 1; i >= 0; i--) {
                Chunk c = held.get(i);
                if (ending) {
                    failChunk(c, ended());
                } else if (i > 0 || (!timedOut && !w.began(c))) {
                    // queued behind the one that was running, or sent to a worker that died before it began it
                    // (killed while idle, just as the chunk was sent): it never ran, so it runs elsewhere
                    queue.addFirst(c);
                } else if (timedOut) {
                    int task = w.timedOutIndex();
                    String which = task >= 0 && task < c.size && !c.single
                            ? c.describe(task) + (c.size > 1 ? " (of " + c.describe() + ")" : "") : c.describe();
                    failChunk(c, new TaskTimeoutException(which + " ran past its timeout of " + taskTimeout
                            + "; worker pid " + w.pid + " was killed (" + how + ")", w.pid, exit, tail,
                            taskTimeout));
                } else {
                    failChunk(c, new WorkerDiedException("worker pid " + w.pid + " died (" + how + ") while running "
                            + c.describe(), w.pid, exit, tail));
                }
            }
            if (slots[w.slot] == w) { // its process has exited: nothing is left to reap
                slots[w.slot] = null;
                boolean everReady = w.everReady();
                if (!everReady) {
                    startFailures++;
                }
                if (runStateLessThan(State.SHUTDOWN) && (everReady || state != State.STARTING)) {
                    if (startFailures >= START_FAILURES_BEFORE_BROKEN) {
                        breakPool(new WorkerDiedException(startFailures + " workers in a row died before their"
                                + " handshake; the last, pid " + w.pid + " (" + how + ")", w.pid, exit, tail));
                    } else {
                        respawn = true;
                    }
                }
            }
        } finally {
            unlockAndDeliver();
        }
        if (respawn) {
            replace(w.slot);
        }
    }

    /**
     * Spawns a worker for an empty slot, outside the lock (a JVM start takes milliseconds, and submitters and every
     * reader thread need the lock meanwhile), then installs it if the pool still wants it, else kills it.
     */
    private void replace(int slot) {
        lock.lock();
        try {
            if (runStateAtLeast(State.SHUTDOWN)) {
                return; // the pool ended since the death was seen: spawn nothing
            }
            replacing++;
        } finally {
            lock.unlock();
        }
        try {
            spawnReplacement(slot);
        } finally {
            lock.lock();
            try {
                replacing--;
                replaced.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void spawnReplacement(int slot) {
        Worker fresh;
        try {
            fresh = spawn(slot);
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                if (runStateLessThan(State.SHUTDOWN)) {
                    breakPool(new IllegalStateException("cannot start a replacement worker: " + e, e));
                }
            } finally {
                unlockAndDeliver();
            }
            return;
        }
        boolean wanted;
        lock.lock();
        try {
            wanted = slots[slot] == null && runStateLessThan(State.SHUTDOWN);
            if (wanted) {
                slots[slot] = fresh;
            }
        } finally {
            lock.unlock();
        }
        if (!wanted) {
            fresh.kill("the pool ended while it started", false);
            try {
                fresh.awaitGone(5_000); // before the pool's ending, which waits for this, may return
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void breakPool(RuntimeException cause) {
        advanceRunState(State.BROKEN);
        launcher.close();
        brokenBy = cause;
        for (Chunk c; (c = queue.poll()) != null; ) {
            failChunk(c, cause);
        }
        for (Worker w : slots) {
            if (w != null) {
                w.kill("the pool broke", false);
            }
        }
    }

    /** The number of workers the pool keeps running. */
    int workers() {
        return workers;
    }

    ProcessPool.Transport transport() {
        return launcher.transport();
    }

    /** The process ids of the current workers. */
    List<Long> workerPids() {
        return snapshot().stream().map(w -> w.pid).toList();
    }

    // ---- for workers: narrow ways into the pool ---------------------------------------------------------------------

    /** The filter a worker's results are deserialized through. */
    ObjectInputFilter resultFilter() {
        return filter;
    }

    /** The next chunk to run, waiting for one. */
    Chunk takeChunk() throws InterruptedException {
        return queue.take();
    }

    /** The next queued chunk, or null: for a reader thread that hands a freed window slot on ({@link Worker}). */
    Chunk pollChunk() {
        return queue.poll();
    }

    /** True if a worker that has taken {@code chunksTaken} chunks must retire ({@code maxTasksPerChild}). */
    boolean usedUp(int chunksTaken) {
        return maxTasksPerChild > 0 && chunksTaken >= maxTasksPerChild;
    }

    /** True once the run state is final (SHUTDOWN, TERMINATED or BROKEN): the watchdog's cue to stop. */
    boolean stateIsFinal() {
        lock.lock();
        try {
            return runStateAtLeast(State.SHUTDOWN);
        } finally {
            lock.unlock();
        }
    }

    /** True if no chunk waits in the queue. */
    boolean nothingQueued() {
        return queue.isEmpty();
    }

    /** The current workers. */
    List<Worker> snapshot() {
        lock.lock();
        try {
            List<Worker> all = new ArrayList<>(workers);
            for (Worker w : slots) {
                if (w != null) {
                    all.add(w);
                }
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    // ---- the run state ------------------------------------------------------------------------------------------

    private boolean runStateLessThan(State s) {
        return state.compareTo(s) < 0;
    }

    private boolean runStateAtLeast(State s) {
        return state.compareTo(s) >= 0;
    }

    /**
     * Every change of the run state goes through here, under the lock: to {@code target}, if the pool is before it
     * and not yet in a final state (SHUTDOWN or after). Returns whether the state changed.
     */
    private boolean advanceRunState(State target) {
        if (runStateAtLeast(State.SHUTDOWN) || runStateAtLeast(target)) {
            return false;
        }
        state = target;
        signalIfTerminated();
        return true;
    }

    /** A worker's reader has delivered its last outcome (or a spawned worker never got a reader). */
    private void workerGone() {
        lock.lock();
        try {
            live--;
            signalIfTerminated();
        } finally {
            lock.unlock();
        }
    }

    private boolean terminatedLocked() {
        return runStateAtLeast(State.SHUTDOWN) && live == 0;
    }

    private void signalIfTerminated() {
        if (terminatedLocked()) {
            terminated.signalAll();
        }
    }

    boolean isShutdown() {
        lock.lock();
        try {
            return runStateAtLeast(State.CLOSING);
        } finally {
            lock.unlock();
        }
    }

    boolean isTerminated() {
        lock.lock();
        try {
            return terminatedLocked();
        } finally {
            lock.unlock();
        }
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!terminatedLocked()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- ending -------------------------------------------------------------------------------------------------

    /** {@link ProcessPool#close()}: CLOSING, then SHUTDOWN once nothing is pending. */
    void close() {
        lock.lock();
        try {
            advanceRunState(State.CLOSING);
            while (pending.get() > 0 && state == State.CLOSING) {
                idle.await();
            }
            if (state != State.CLOSING) {
                return; // closed, terminated or broken already (or by another thread meanwhile)
            }
            advanceRunState(State.SHUTDOWN);
        } catch (InterruptedException e) {
            lock.unlock();
            terminate();
            Thread.currentThread().interrupt();
            return;
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
        List<Worker> all = snapshot();
        all.forEach(Worker::closeStdin);
        reap(all, 10_000);
    }

    /** {@link ProcessPool#terminate()}: TERMINATED (a broken pool stays BROKEN and only has its workers reaped). */
    void terminate() {
        List<Worker> all;
        lock.lock();
        try {
            if (runStateAtLeast(State.SHUTDOWN) && state != State.BROKEN) {
                return;
            }
            advanceRunState(State.TERMINATED);
            for (Chunk c; (c = queue.poll()) != null; ) {
                failChunk(c, ended());
            }
            all = snapshot();
            idle.signalAll();
        } finally {
            unlockAndDeliver();
        }
        all.forEach(w -> w.kill("the pool was terminated", false));
        reap(all, 5_000);
    }

    private void reap(List<Worker> all, long timeoutMillis) {
        watchdog.interrupt();
        boolean interrupted = false;
        // a replacement spawned while the pool ended is killed and awaited by the thread that spawned it: wait for
        // that, or close() could return while a worker JVM it started still runs
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (replacing > 0 && nanos > 0) {
                nanos = replaced.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            lock.unlock();
        }
        launcher.close(); // no more workers: the shell that makes their pipes goes too
        for (Worker w : all) {
            try {
                w.awaitGone(timeoutMillis);
            } catch (InterruptedException e) {
                interrupted = true;
                w.kill("interrupted while closing", false);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ProcessPool[" + state.name().toLowerCase() + ", workers=" + workers + ", pending chunks="
                    + pending.get() + "]";
        } finally {
            lock.unlock();
        }
    }
}
