package org.poolbench.pool;

import java.io.IOException;
import java.io.ObjectInputFilter;
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
import java.util.concurrent.atomic.AtomicLong;

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
 * names the current one). They are ordered STARTING, RUNNING, CLOSING, SHUTDOWN, TERMINATED, BROKEN, and only ever
 * advance:
 * <table class="striped">
 * <caption>Transitions</caption>
 * <thead><tr><th>from</th><th>to</th><th>when</th></tr></thead>
 * <tbody>
 * <tr><td>STARTING</td><td>RUNNING</td><td>every worker has answered its handshake ({@link ProcessPoolBuilder#build()}
 *     returns)</td></tr>
 * <tr><td>STARTING</td><td>TERMINATED</td><td>a worker cannot be spawned or dies before its handshake; {@code build()}
 *     kills the others and throws {@link IllegalStateException}</td></tr>
 * <tr><td>STARTING</td><td>BROKEN</td><td>a worker that had answered its handshake dies while the others start, and
 *     its replacement cannot be spawned (or three in a row die before their handshake); {@code build()} throws
 *     {@link IllegalStateException} if a worker was still starting, else returns the broken pool</td></tr>
 * <tr><td>RUNNING</td><td>CLOSING</td><td>{@link #close()}: no new tasks; queued ones still run</td></tr>
 * <tr><td>CLOSING</td><td>SHUTDOWN</td><td>the last pending task has finished; then the workers are ended</td></tr>
 * <tr><td>RUNNING or CLOSING</td><td>TERMINATED</td><td>{@link #terminate()}, or {@code close()} interrupted</td></tr>
 * <tr><td>RUNNING or CLOSING</td><td>BROKEN</td><td>three replacement workers in a row die before their handshake,
 *     or one cannot be spawned: pending tasks fail, workers are killed</td></tr>
 * </tbody>
 * </table>
 * SHUTDOWN, TERMINATED and BROKEN are final; {@code terminate()} on a broken pool only reaps its workers. From
 * CLOSING on the pool accepts no task and {@link #isShutdown()} is true; in a final state, once every worker has
 * exited, {@link #isTerminated()} is true and {@link #awaitTermination} returns. Workers are spawned outside the
 * pool's lock, and no lock is held across a call that can throw.
 *
 * <p>Waiting calls ({@code map}, {@code apply}, the iterators' {@code next}) throw {@link CancellationException}
 * with the interrupt status set if the calling thread is interrupted while waiting. The pool is safe for use by many
 * threads at once.
 */
public final class ProcessPool implements AutoCloseable {

    /**
     * The classes a pool deserializes by default: {@code java.lang}, {@code java.math} and {@code java.time}, serialized
     * lambdas, the {@code java.util} collections by name (lists, sets, maps, the immutable and wrapped ones, their
     * serial forms, {@code UUID}, {@code BitSet}), and this project. The class that defines a task's lambda (or the
     * task's own class) is always allowed for that task. Anything else, such as a record of your own passed as an
     * argument or a {@code java.util.concurrent} map, must be allowed with {@link ProcessPoolBuilder#allowClasses}.
     */
    public static final String DEFAULT_ALLOWED_CLASSES = String.join(";",
            "java.lang.*", "java.lang.invoke.SerializedLambda", "java.math.*", "java.time.*",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.Arrays$ArrayList",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.IdentityHashMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.EnumMap",
            "java.util.EnumSet$SerializationProxy", "java.util.ImmutableCollections$*", "java.util.CollSer",
            "java.util.Collections$*", "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry",
            "java.util.Map$Entry", "java.util.UUID", "java.util.BitSet",
            "org.poolbench.**");

    /**
     * How tasks and results travel between the pool and a worker ({@link ProcessPoolBuilder#transport}).
     */
    public enum Transport {
        /** Two named pipes per worker, one each way: a system call per frame each way, and a wake-up. */
        PIPE,
        /**
         * Two byte rings per worker in {@code /dev/shm}, one each way; a waiting side yields briefly, then sleeps on
         * the worker's pipe, which then carries only wake-ups (so an idle pool burns no CPU) and still shows a dead
         * process as EOF. The thread that calls {@link #apply} watches the ring for its own result for up to 50 µs of
         * its CPU, so a tiny task's answer reaches it without a thread hand-off. Costs twice
         * {@value Ring#DEFAULT_CAPACITY} bytes of memory per worker.
         */
        SHARED_MEMORY;

        /** The name in {@code -Dpoolbench.pool.transport=}: {@code pipe} or {@code shared-memory}. */
        public String label() {
            return this == PIPE ? "pipe" : "shared-memory";
        }

        /** The builders' default: the system property {@code poolbench.pool.transport}, else {@link #PIPE}. */
        static Transport byDefault() {
            return of(System.getProperty("poolbench.pool.transport", "pipe"), "poolbench.pool.transport");
        }

        /**
         * The transport whose {@link #label()} is {@code label}.
         *
         * @throws IllegalArgumentException naming {@code what}, the bad value and the valid ones
         */
        public static Transport of(String label, String what) {
            for (Transport t : values()) {
                if (t.label().equals(label)) {
                    return t;
                }
            }
            throw new IllegalArgumentException(what + " '" + label + "' is not one of pipe, shared-memory");
        }
    }

    private static final AtomicLong IDS = new AtomicLong();
    private static final long SPIN_NANOS = Long.getLong("poolbench.spinNanos", 200_000);

    private final PoolCore core;

    private ProcessPool(PoolCore core) {
        this.core = core;
    }

    /** A builder with the defaults: as many workers as available processors, no recycling, no timeout. */
    public static ProcessPoolBuilder builder() {
        return new ProcessPoolBuilder();
    }

    /** Starts a pool as {@code b} describes: {@link ProcessPoolBuilder#build()}. */
    static ProcessPool start(ProcessPoolBuilder b) {
        PoolCore core = new PoolCore(b);
        core.start();
        return new ProcessPool(core);
    }

    /** The number of workers this pool keeps running. */
    public int workers() {
        return core.workers();
    }

    /**
     * The transport this pool's workers use: the one asked for, or {@link Transport#PIPE} where shared memory was
     * asked for but {@code /dev/shm} cannot hold it.
     */
    public Transport transport() {
        return core.transport();
    }

    /** The process ids of the current workers (a recycled or replaced worker has a new one). */
    public List<Long> workerPids() {
        return core.workerPids();
    }

    /** How many {@code apply} results their caller read from shared memory itself, for tests and probes. */
    long resultsReadByCallers() {
        return core.resultsReadByCallers.sum();
    }

    /** Bytes of argument arrays kept for the next chunks ({@link PayloadArrays}), for tests. */
    long payloadBytesKept() {
        return core.payloads.keptBytes();
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
        CompletableFuture<R> f = submitOne(fn, x, true);
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
        return submitOne(fn, x, false);
    }

    private <T, R> CompletableFuture<R> submitOne(SerializableFunction<T, R> fn, T x, boolean callerWaits) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Chunk.Sink sink = new Chunk.Sink() {
            @Override
            @SuppressWarnings("unchecked")
            public void done(Chunk c, Object column, long pid) {
                int length = WireValues.columnLength(column);
                Object v = length == 1 ? WireValues.columnElement(column, 0) : null;
                if (length != 1) {
                    future.completeExceptionally(new IllegalStateException(
                            "worker pid " + pid + " returned " + length + " results for one task"));
                } else if (v instanceof WireValues.Failure failure) {
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
        core.enqueue(List.of(new Chunk(IDS.incrementAndGet(), f, 0, 0, 1, payload, sink, true)), true, callerWaits);
        return future;
    }

    private int autoChunksize(int n) {
        long divisor = 4L * core.workers();
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
        core.checkUsable();
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
                Wire.Buf payload = core.payloads.take(16 + 9 * (to - from));
                encode(payload, a, from, to);
                if (b != null) {
                    encode(payload, b, from, to);
                }
                Chunk c = new Chunk(IDS.incrementAndGet(), f, index, from, to - from, payload, batch, false);
                core.enqueue(List.of(c), false); // one by one: workers start on the first chunk while we encode the rest
                sent.add(c);
            }
        } catch (IllegalArgumentException e) {
            core.withdraw(sent);
            throw e;
        }
        return batch;
    }

    private static void encode(Wire.Buf payload, List<?> xs, int from, int to) {
        try {
            WireValues.putElements(payload, xs, from, to);
        } catch (WireValues.ElementException e) {
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
        core.close();
    }

    /**
     * Kills every worker now. Tasks not yet finished fail with a {@link CancellationException}. Idempotent; also
     * ends a pool that is closing. Returns when the workers have exited.
     */
    public void terminate() {
        checkNotPoolThread("terminate");
        core.terminate();
    }

    /**
     * True once {@link #close()} or {@link #terminate()} has begun, or the pool is broken: it accepts no new tasks
     * (CLOSING, SHUTDOWN, TERMINATED or BROKEN). Tasks already submitted may still be running.
     */
    public boolean isShutdown() {
        return core.isShutdown();
    }

    /**
     * True once the pool has ended (SHUTDOWN, TERMINATED or BROKEN) and every worker is gone: each one's process has
     * exited and the outcome of every chunk it held has been delivered. Implies {@link #isShutdown()}. Never true
     * before {@code close()}, {@code terminate()} or a break.
     */
    public boolean isTerminated() {
        return core.isTerminated();
    }

    /**
     * Blocks until {@link #isTerminated()}, the timeout passes, or the calling thread is interrupted, whichever comes
     * first. Does not itself end the pool: call it after {@link #close()} or {@link #terminate()} (from another
     * thread, for instance) or after the pool broke.
     *
     * @return {@code true} if the pool terminated, {@code false} if the timeout passed first
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if called from one of the pool's own threads, where it would wait for itself
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        checkNotPoolThread("awaitTermination");
        return core.awaitTermination(nanos);
    }

    private void checkNotPoolThread(String what) {
        if (PoolCore.OWNER.get() == core) {
            throw new IllegalStateException(what + "() called from the pool's own thread (a dependent action of an"
                    + " applyAsync future?), where waiting would never end; use the ...Async methods of"
                    + " CompletableFuture, or applyAsync");
        }
    }

    /** The run state, the number of workers and the chunks pending, e.g. {@code ProcessPool[running, workers=2, pending chunks=0]}. */
    @Override
    public String toString() {
        return core.toString();
    }
}
