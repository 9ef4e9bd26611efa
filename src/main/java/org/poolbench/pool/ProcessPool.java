package org.poolbench.pool;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool of worker JVMs that run tasks: the JVM's {@code multiprocessing.Pool}.
 *
 * <p>Workers are started from this JVM's own {@code java} binary with its class path, all at once, and the pool is
 * returned when every worker has answered a handshake. Tasks are {@link SerializableFunction}s (lambdas or method
 * references): the worker rebuilds them from their serialized form, as CPython unpickles a function by name.
 * Arguments and results travel as checked binary frames over a private Unix-domain socket per worker (a task's
 * stdout and stderr are its own output, kept in the tail of a dead worker's exception); common values
 * ({@code Long}, {@code Integer}, {@code Double}, {@code Boolean}, {@code String}, {@code BigInteger}, primitive
 * arrays, JDK lists of these) are hand-encoded, anything else is Java-serialized and read back through an
 * {@link ObjectInputFilter} allow-list (see {@link ProcessPoolBuilder#allowClasses}).
 *
 * <p><b>Chunks.</b> {@code map} and friends cut their input into chunks of consecutive tasks; a chunk is sent to one
 * worker as one frame. {@link #map(SerializableFunction, List)} uses CPython's rule,
 * {@code ceil(n / (4 × workers))}.
 *
 * <p><b>Failures.</b> Nothing ever hangs and no result is delivered twice:
 * <ul>
 * <li>A task that throws fails with a {@link TaskFailedException} carrying the remote class, message and stack
 *     trace; the worker lives on, and the chunk's other tasks still run.
 * <li>A worker that dies (killed, crashed, {@code System.exit}) fails the chunk it was running with a
 *     {@link WorkerDiedException} (pid, exit code or signal, last lines of its stderr); chunks that were queued
 *     behind it and had not started are run elsewhere. The worker is replaced and the pool keeps working.
 * <li>A task that runs past the {@linkplain ProcessPoolBuilder#taskTimeout task timeout} fails with a
 *     {@link TaskTimeoutException}; its worker is killed and replaced.
 * <li>{@code map} waits for all its tasks, then throws the first failure in input order (others are attached as
 *     suppressed); {@code imap} and {@code imapUnordered} throw a task's failure from the {@code next()} that would
 *     have returned it and can be continued past it.
 * </ul>
 *
 * <p><b>Ending.</b> {@link #close()} accepts nothing new, finishes what is queued and waits until every worker has
 * exited; {@link #terminate()} kills the workers now and fails every unfinished task with a
 * {@link CancellationException}. Both are idempotent; any other call after either throws
 * {@link IllegalStateException}. Workers also exit by themselves within moments when this JVM dies, however it dies:
 * between tasks they read their socket, whose end means the parent is gone, and while a task runs a thread polls
 * the parent's pid.
 *
 * <p><b>Run states</b> (as {@link java.util.concurrent.ThreadPoolExecutor} documents its own; {@link #toString()}
 * names the current one):
 * <table class="striped">
 * <caption>Transitions</caption>
 * <thead><tr><th>from</th><th>to</th><th>when</th></tr></thead>
 * <tbody>
 * <tr><td>STARTING</td><td>RUNNING</td><td>every worker has answered its handshake ({@link ProcessPoolBuilder#build()} returns)</td></tr>
 * <tr><td>STARTING</td><td>TERMINATED</td><td>a worker cannot be spawned or dies before its handshake; {@code build()}
 *     kills the others and throws {@link IllegalStateException}</td></tr>
 * <tr><td>RUNNING</td><td>CLOSING</td><td>{@link #close()}: no new tasks; queued ones still run</td></tr>
 * <tr><td>CLOSING</td><td>SHUTDOWN</td><td>the last pending task has finished; then the workers are ended</td></tr>
 * <tr><td>RUNNING or CLOSING</td><td>TERMINATED</td><td>{@link #terminate()}, or {@code close()} interrupted</td></tr>
 * <tr><td>RUNNING or CLOSING</td><td>BROKEN</td><td>three replacement workers in a row die before their handshake,
 *     or one cannot be spawned: pending tasks fail, workers are killed</td></tr>
 * </tbody>
 * </table>
 * SHUTDOWN, TERMINATED and BROKEN are final; {@code terminate()} on a broken pool only reaps its workers. Workers
 * are spawned outside the pool's lock, and no lock is held across a call that can throw.
 *
 * <p>Waiting calls ({@code map}, {@code apply}, the iterators' {@code next}) throw {@link CancellationException}
 * with the interrupt status set if the calling thread is interrupted while waiting. The pool is safe for use by many
 * threads at once.
 */
public final class ProcessPool implements AutoCloseable {

    /**
     * The classes a pool deserializes by default: the JDK's value packages, serialized lambdas, and this project.
     * The class that defines a task's lambda (or the task's own class) is always allowed for that task. Anything
     * else, such as a record of your own passed as an argument, must be allowed with {@link ProcessPoolBuilder#allowClasses}.
     */
    public static final String DEFAULT_ALLOWED_CLASSES =
            "java.lang.*;java.lang.invoke.SerializedLambda;java.math.*;java.util.*;java.time.*;org.poolbench.**";

    /** The pool whose thread this is, on the pool's own threads: they must never wait for the pool. */
    static final ThreadLocal<ProcessPool> OWNER = new ThreadLocal<>();

    private enum State { STARTING, RUNNING, CLOSING, SHUTDOWN, TERMINATED, BROKEN }

    private static final AtomicLong IDS = new AtomicLong();
    private static final int START_FAILURES_BEFORE_BROKEN = 3;
    /** A chunk waiting behind one that has run this long moves to an idle worker. */
    private static final long STEAL_AFTER_MILLIS = 50;
    private static final long SPIN_NANOS = Long.getLong("poolbench.spinNanos", 200_000);

    final int maxTasksPerChild;
    final ObjectInputFilter filter;
    final LinkedBlockingDeque<Chunk> queue = new LinkedBlockingDeque<>();
    private final int workers;
    private final Duration taskTimeout;
    private final Duration startTimeout;
    private final String filterPattern;
    private final List<String> command;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Worker[] slots; // guarded by lock
    private State state = State.STARTING; // guarded by lock
    private int pending;                  // chunks submitted and not finished; guarded by lock
    private int startFailures;            // consecutive workers that died before their handshake
    private int nextSlot;                 // where idleWorker() starts looking: the worker used last
    private final java.util.ArrayDeque<Map.Entry<Chunk, RuntimeException>> deferred = new java.util.ArrayDeque<>();
    private RuntimeException brokenBy;
    private final Thread watchdog;
    /** Makes each worker's FIFOs; ended with the pool. */
    private final Channel.FifoMaker fifos = new Channel.FifoMaker();
    private final java.util.function.IntConsumer spawnHook; // tests only: may throw to simulate a failed spawn
    private final Initializer initializer; // or null

    /** The function each worker runs once before any task, and its argument. */
    record Initializer(Chunk.Fn fn, Object arg) {
    }

    private ProcessPool(ProcessPoolBuilder b) {
        this.workers = b.workers;
        this.maxTasksPerChild = b.maxTasksPerChild;
        this.taskTimeout = b.taskTimeout;
        this.startTimeout = b.startTimeout;
        this.filterPattern = "maxdepth=200;" + String.join(";", b.allowed) + ";!*";
        this.filter = Wire.filter(filterPattern);
        this.command = WorkerCommand.build(b.jvmArgs);
        this.slots = new Worker[workers];
        this.spawnHook = b.spawnHook;
        this.initializer = b.initializer == null ? null
                : new Initializer(FunctionCache.of(b.initializer, (byte) 1), b.initArg);
        this.watchdog = Thread.ofPlatform().daemon().name("poolbench-pool-watchdog").unstarted(() -> {
            OWNER.set(this);
            watch();
        });
    }

    /** A builder with the defaults: as many workers as available processors, no recycling, no timeout. */
    public static ProcessPoolBuilder builder() {
        return new ProcessPoolBuilder();
    }

    /** Starts a pool as {@code b} describes: {@link ProcessPoolBuilder#build()}. */
    static ProcessPool start(ProcessPoolBuilder b) {
        return new ProcessPool(b).startWorkers();
    }

    private ProcessPool startWorkers() {
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
            throw new IllegalStateException("cannot start a worker process " + command + ": " + e, e);
        }
        watchdog.start();
        try {
            for (Worker w : started) { // not snapshot(): a worker that died already has left its slot
                w.ready.get(); // bounded: the watchdog kills a worker that misses the start timeout
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
            if (state == State.STARTING) {
                state = State.RUNNING;
            }
        } finally {
            lock.unlock();
        }
        return this;
    }

    private Worker spawn(int slot) throws IOException {
        if (spawnHook != null) {
            spawnHook.accept(slot);
        }
        // A private (0700) directory per worker, removed as soon as the worker has connected (or has died).
        Path dir = Channel.privateDirectory();
        Process p;
        Progress progress;
        Channel.Ends ends = null;
        try {
            fifos.make(dir.resolve(Worker.REQUESTS), dir.resolve(Worker.RESULTS));
            progress = Progress.map(dir.resolve(Worker.PROGRESS));
            ends = new Channel.Ends(dir.resolve(Worker.REQUESTS), dir.resolve(Worker.RESULTS));
            List<String> cmd = new ArrayList<>(command);
            cmd.add(dir.toString());
            p = new ProcessBuilder(cmd).start();
        } catch (IOException | RuntimeException e) {
            if (ends != null) {
                ends.releaseKeepers();
                ends.results.close();
                ends.requests.close();
            }
            Worker.removeDirectory(dir);
            throw e;
        }
        Worker w = new Worker(this, slot, p, dir, ends, progress);
        try {
            w.start(filterPattern, initializer);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return w;
    }

    /** The number of workers this pool keeps running. */
    public int workers() {
        return workers;
    }

    /** The process ids of the current workers (a recycled or replaced worker has a new one). */
    public List<Long> workerPids() {
        return snapshot().stream().map(w -> w.pid).toList();
    }

    // ---- the API ------------------------------------------------------------------------------------------------

    /**
     * Applies {@code fn} to every element in chunks of CPython's size, {@code ceil(n / (4 × workers))}, and waits.
     *
     * @return the results in input order, as a read-only list
     * @throws TaskFailedException  if a task threw (the first in input order)
     * @throws WorkerDiedException  if a worker died while it ran a chunk of this call
     * @throws IllegalArgumentException if the function or an argument cannot be sent to a worker (chunks are sent
     *                                  while later ones are encoded: tasks before the bad argument may have run)
     */
    public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> xs) {
        return map(fn, xs, autoChunksize(xs.size()));
    }

    /** {@link #map(SerializableFunction, List)} with chunks of {@code chunksize} tasks. */
    public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> xs, int chunksize) {
        return submit(fn, (byte) 1, xs, null, chunksize).awaitAll();
    }

    /**
     * Like {@link #map(SerializableFunction, List)} without waiting: CPython's {@code map_async}. The future
     * completes, on a pool thread, with the results in input order, or exceptionally with the exception {@code map}
     * would throw. Its {@code exceptionally}/{@code whenComplete} stages are CPython's {@code error_callback}, and
     * {@code thenAccept} its {@code callback}. Cancelling the future does not stop the tasks.
     *
     * @throws IllegalArgumentException if the function or an argument cannot be sent (thrown here, as by map)
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<T, R> fn, List<T> xs) {
        return mapAsync(fn, xs, autoChunksize(xs.size()));
    }

    /** {@link #mapAsync(SerializableFunction, List)} with chunks of {@code chunksize} tasks. */
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<T, R> fn, List<T> xs, int chunksize) {
        return submitAsync(fn, (byte) 1, xs, null, chunksize);
    }

    /** Like {@link #starmap(SerializableBiFunction, List)} without waiting; see {@link #mapAsync}. */
    public <A, B, R> CompletableFuture<List<R>> starmapAsync(SerializableBiFunction<A, B, R> fn,
            List<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        Objects.requireNonNull(pairs, "pairs");
        return submitAsync(fn, (byte) 2, keys(pairs), values(pairs), autoChunksize(pairs.size()));
    }

    /** {@link #imap(SerializableFunction, List, int)} with chunks of one task, as CPython's default. */
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, List<T> xs) {
        return imap(fn, xs, 1);
    }

    /**
     * Submits every task now and returns their results in input order as they arrive: {@code next()} returns as
     * soon as that result's chunk is done, while later chunks still run. A failed task's {@code next()} throws its
     * exception; iteration can continue past it.
     */
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, List<T> xs, int chunksize) {
        return submit(fn, (byte) 1, xs, null, chunksize).ordered();
    }

    /** {@link #imapUnordered(SerializableFunction, List, int)} with chunks of one task. */
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, List<T> xs) {
        return imapUnordered(fn, xs, 1);
    }

    /** Like {@link #imap(SerializableFunction, List, int)}, in the order chunks complete; each result once. */
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, List<T> xs, int chunksize) {
        return submit(fn, (byte) 1, xs, null, chunksize, true).unordered();
    }

    /** Applies {@code fn} to each pair's key and value, in chunks of CPython's size; results in input order. */
    public <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn,
                                     List<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return starmap(fn, pairs, autoChunksize(pairs.size()));
    }

    /** {@link #starmap(SerializableBiFunction, List)} with chunks of {@code chunksize} pairs. */
    public <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn,
                                     List<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize) {
        Objects.requireNonNull(pairs, "pairs");
        return submit(fn, (byte) 2, keys(pairs), values(pairs), chunksize).awaitAll();
    }

    private static List<Object> keys(List<? extends Map.Entry<?, ?>> pairs) {
        return new AbstractList<>() {
            @Override
            public Object get(int i) {
                return pairs.get(i).getKey();
            }

            @Override
            public int size() {
                return pairs.size();
            }
        };
    }

    private static List<Object> values(List<? extends Map.Entry<?, ?>> pairs) {
        return new AbstractList<>() {
            @Override
            public Object get(int i) {
                return pairs.get(i).getValue();
            }

            @Override
            public int size() {
                return pairs.size();
            }
        };
    }

    /**
     * Runs {@code fn(x)} in a worker and waits for its result.
     *
     * <p>This and the other waiting calls ({@code map}, {@code imap}, ..., {@code close}) throw
     * {@link IllegalStateException} on the pool's own threads (a dependent action of an {@link #applyAsync} future),
     * where they could wait for themselves.
     *
     * @throws TaskFailedException if the task threw
     * @throws WorkerDiedException if the worker died while running it ({@link TaskTimeoutException} on a timeout)
     */
    public <T, R> R apply(SerializableFunction<T, R> fn, T x) {
        checkNotPoolThread("apply");
        CompletableFuture<R> f = applyAsync(fn, x);
        try {
            awaitBriefly(f);
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the result");
        }
    }

    /**
     * Yields the processor for up to {@link #SPIN_NANOS} while a tiny task's answer is on its way: parking at once
     * and being woken by the reader thread costs a wake-up that, on small virtual machines, exceeds the whole pipe
     * round trip (measured in docs/POOL.md). Yielding, not spinning, leaves the processor to the worker.
     */
    private static void awaitBriefly(CompletableFuture<?> f) {
        long start = System.nanoTime();
        while (!f.isDone() && System.nanoTime() - start < SPIN_NANOS) {
            Thread.yield();
        }
    }

    /**
     * Runs {@code fn(x)} in a worker. The future completes with the result, or exceptionally with the exceptions
     * {@link #apply} throws. It is completed on a pool thread: give dependent actions that block, or that close
     * this pool, an executor (the {@code ...Async} methods). Cancelling the future does not stop the task.
     */
    public <T, R> CompletableFuture<R> applyAsync(SerializableFunction<T, R> fn, T x) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Chunk.Sink sink = new Chunk.Sink() {
            @Override
            @SuppressWarnings("unchecked")
            public void done(Chunk c, Object column, long pid) {
                int length = Wire.columnLength(column);
                Object v = length == 1 ? Wire.columnElement(column, 0) : null;
                if (length != 1) {
                    future.completeExceptionally(new IllegalStateException(
                            "worker pid " + pid + " returned " + length + " results for one task"));
                } else if (v instanceof Wire.Failure failure) {
                    future.completeExceptionally(new TaskFailedException("the task", pid, failure.error()));
                } else {
                    future.complete((R) v);
                }
            }

            @Override
            public void failed(Chunk c, RuntimeException error) {
                future.completeExceptionally(error);
            }
        };
        Chunk.Fn f = FunctionCache.of(fn, (byte) 1);
        Wire.Buf payload = new Wire.Buf(32);
        encode(payload, Arrays.asList(x), 0, 1);
        enqueue(List.of(new Chunk(IDS.incrementAndGet(), f, 0, 0, 1, payload, sink, true)), true);
        return future;
    }

    private int autoChunksize(int n) {
        long divisor = 4L * workers;
        return (int) Math.max(1, (n + divisor - 1) / divisor);
    }

    private Batch submit(Object fn, byte arity, List<?> a, List<?> b, int chunksize) {
        return submit(fn, arity, a, b, chunksize, false);
    }

    private <R> CompletableFuture<List<R>> submitAsync(Object fn, byte arity, List<?> a, List<?> b, int chunksize) {
        CompletableFuture<List<R>>[] future = new CompletableFuture[1];
        submit(fn, arity, a, b, chunksize, false, false, batch -> future[0] = batch.whenAll());
        return future[0];
    }

    private Batch submit(Object fn, byte arity, List<?> a, List<?> b, int chunksize, boolean unordered) {
        return submit(fn, arity, a, b, chunksize, unordered, true, batch -> { });
    }

    private Batch submit(Object fn, byte arity, List<?> a, List<?> b, int chunksize, boolean unordered,
                         boolean waits, java.util.function.Consumer<Batch> beforeSending) {
        if (waits) {
            checkNotPoolThread("map");
        }
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(a, "xs");
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1, got " + chunksize);
        }
        checkUsable();
        int n = a.size();
        Batch batch = new Batch(n, chunksize, unordered);
        beforeSending.accept(batch);
        if (n == 0) {
            return batch;
        }
        Chunk.Fn f = FunctionCache.of(fn, arity);
        List<Chunk> sent = new ArrayList<>((n + chunksize - 1) / chunksize);
        try {
            for (int from = 0, index = 0; from < n; from += chunksize, index++) {
                int to = (int) Math.min(n, (long) from + chunksize);
                Wire.Buf payload = new Wire.Buf(16 + 9 * (to - from));
                encode(payload, a, from, to);
                if (b != null) {
                    encode(payload, b, from, to);
                }
                Chunk c = new Chunk(IDS.incrementAndGet(), f, index, from, to - from, payload, batch, false);
                enqueue(List.of(c), false); // one by one: workers start on the first chunk while we encode the rest
                sent.add(c);
            }
        } catch (IllegalArgumentException e) {
            withdraw(sent);
            throw e;
        }
        return batch;
    }

    /** An argument could not be encoded: take back the call's chunks that no worker has taken yet. */
    private void withdraw(List<Chunk> chunks) {
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

    private static void encode(Wire.Buf payload, List<?> xs, int from, int to) {
        try {
            Wire.putElements(payload, xs, from, to);
        } catch (Wire.ElementException e) {
            throw new IllegalArgumentException("argument " + e.index + " cannot be sent to a worker: "
                    + e.getCause(), e.getCause());
        } catch (IOException e) {
            throw new IllegalArgumentException("arguments cannot be sent to a worker: " + e, e);
        }
        if (payload.n > Wire.MAX_FRAME - 64) {
            throw new IllegalArgumentException("a chunk's arguments take " + payload.n
                    + " bytes, more than a frame holds (" + Wire.MAX_FRAME + "); use a smaller chunksize");
        }
    }

    // ---- scheduling ---------------------------------------------------------------------------------------------

    private void enqueue(List<Chunk> chunks, boolean allowDirect) {
        Worker direct = null;
        lock.lock();
        try {
            checkUsable();
            pending += chunks.size();
            if (allowDirect && chunks.size() == 1 && queue.isEmpty()) {
                direct = idleWorker();
            }
            if (direct == null) {
                queue.addAll(chunks); // under the lock, so that terminate() sees every chunk it must fail
            }
        } finally {
            lock.unlock();
        }
        if (direct != null && !direct.sendDirect(chunks.get(0))) {
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

    private void checkUsable() {
        lock.lock();
        try {
            switch (state) {
                case STARTING, RUNNING -> { }
                case BROKEN -> throw new IllegalStateException("pool is broken: workers cannot start", brokenBy);
                default -> throw new IllegalStateException("pool is " + (state == State.TERMINATED
                        ? "terminated" : "closed"));
            }
        } finally {
            lock.unlock();
        }
    }

    /** A worker took a chunk but died before it could hold it: run it elsewhere, or fail it if nothing will. */
    void requeue(Chunk c) {
        lock.lock();
        try {
            if (state == State.TERMINATED || state == State.BROKEN) {
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
        lock.lock();
        try {
            if (--pending == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
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

    /** Called once per worker, by its reader thread, after its process ended. */
    void workerDied(Worker w, List<Chunk> held, int exit, String reason, boolean timedOut) {
        List<String> tail = w.stderr.tail();
        String how = reason != null ? reason + "; " + WorkerDiedException.describeExit(exit)
                : WorkerDiedException.describeExit(exit);
        if (!w.ready.isDone()) {
            w.ready.completeExceptionally(new WorkerDiedException(
                    "worker pid " + w.pid + " ended before its handshake (" + how + ")", w.pid, exit, tail));
        }
        boolean respawn = false;
        lock.lock();
        try {
            boolean ending = state == State.TERMINATED || state == State.BROKEN;
            for (int i = held.size() - 1; i >= 0; i--) {
                Chunk c = held.get(i);
                if (ending) {
                    failChunk(c, ended());
                } else if (i > 0 || (!timedOut && !w.progress.started(c.id))) {
                    // queued behind the one that was running, or sent to a worker that died before it began it
                    // (killed while idle, just as the chunk was sent): it never ran, so it runs elsewhere
                    queue.addFirst(c);
                } else if (timedOut) {
                    int task = w.timedOutIndex;
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
                boolean everReady = !w.ready.isCompletedExceptionally();
                if (!everReady) {
                    startFailures++;
                }
                if (state == State.RUNNING || state == State.CLOSING || (state == State.STARTING && everReady)) {
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
            if (!(state == State.RUNNING || state == State.CLOSING || state == State.STARTING)) {
                return; // the pool ended since the death was seen: spawn nothing
            }
        } finally {
            lock.unlock();
        }
        Worker fresh;
        try {
            fresh = spawn(slot);
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                if (state == State.RUNNING || state == State.CLOSING || state == State.STARTING) {
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
            wanted = slots[slot] == null
                    && (state == State.RUNNING || state == State.CLOSING || state == State.STARTING);
            if (wanted) {
                slots[slot] = fresh;
            }
        } finally {
            lock.unlock();
        }
        if (!wanted) {
            fresh.kill("the pool ended while it started", false);
        }
    }

    private void breakPool(RuntimeException cause) {
        state = State.BROKEN;
        fifos.close();
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

    private List<Worker> snapshot() {
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

    /**
     * The watchdog: kills workers that miss the start timeout or whose running task is past the task timeout (each
     * task is timed from when the worker started it, seen in its {@link Progress}), and moves a chunk that waits
     * behind a long-running one to an idle worker when nothing else is queued.
     */
    private void watch() {
        long tick = taskTimeout == null ? 100 : Math.max(5, Math.min(100, taskTimeout.toMillis() / 10));
        long[] since = new long[1];
        while (true) {
            lock.lock();
            try {
                if (state == State.SHUTDOWN || state == State.TERMINATED || state == State.BROKEN) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            long now = System.nanoTime();
            List<Worker> all = snapshot();
            boolean someoneIdle = false;
            for (Worker w : all) {
                if (!w.ready.isDone() && now - w.spawnedNanos > startTimeout.toNanos()) {
                    w.kill("no handshake within " + startTimeout, false);
                }
                Chunk c = w.runningSince(since);
                if (c == null) {
                    someoneIdle |= w.isIdle();
                    continue;
                }
                long started = w.progress.tasksStarted();
                if (started != w.lastSeenStarted) {
                    w.lastSeenStarted = started;
                    w.lastProgressNanos = now;
                }
                if (taskTimeout != null && now - Math.max(since[0], w.lastProgressNanos) > taskTimeout.toNanos()) {
                    w.timedOutIndex = w.progress.taskIndex();
                    w.kill("timed out", true);
                }
            }
            if (someoneIdle && queue.isEmpty()) {
                for (Worker w : all) {
                    if (w.runningSince(since) != null && now - since[0] > TimeUnit.MILLISECONDS.toNanos(STEAL_AFTER_MILLIS)) {
                        Chunk waiting = w.takeBackWaiting();
                        if (waiting != null) {
                            requeue(waiting);
                        }
                    }
                }
            }
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // ---- ending -------------------------------------------------------------------------------------------------

    /**
     * Accepts no new tasks, finishes every task already submitted, then ends the workers and waits until they have
     * exited. Idempotent. If interrupted while waiting, terminates the pool instead (the interrupt status is kept).
     *
     * @throws IllegalStateException if called from one of the pool's own threads (a dependent action of an
     *                               {@link #applyAsync} future), where waiting would never end
     */
    @Override
    public void close() {
        checkNotPoolThread("close");
        lock.lock();
        try {
            if (state == State.STARTING || state == State.RUNNING) {
                state = State.CLOSING;
            }
            while (pending > 0 && state == State.CLOSING) {
                idle.await();
            }
            if (state != State.CLOSING) {
                return; // closed, terminated or broken already (or by another thread meanwhile)
            }
            state = State.SHUTDOWN;
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

    /**
     * Kills every worker now. Tasks not yet finished fail with a {@link CancellationException}. Idempotent; also
     * ends a pool that is closing. Returns when the workers have exited.
     */
    public void terminate() {
        checkNotPoolThread("terminate");
        List<Worker> all;
        lock.lock();
        try {
            if (state == State.SHUTDOWN || state == State.TERMINATED) {
                return;
            }
            if (state != State.BROKEN) {
                state = State.TERMINATED;
            }
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
        fifos.close(); // no more workers: the shell that makes their pipes goes too
        boolean interrupted = false;
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

    private void checkNotPoolThread(String what) {
        if (OWNER.get() == this) {
            throw new IllegalStateException(what + "() called from the pool's own thread (a dependent action of an"
                    + " applyAsync future?), where waiting would never end; use the ...Async methods of"
                    + " CompletableFuture, or applyAsync");
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ProcessPool[" + state.name().toLowerCase() + ", workers=" + workers + ", pending chunks="
                    + pending + "]";
        } finally {
            lock.unlock();
        }
    }
}
