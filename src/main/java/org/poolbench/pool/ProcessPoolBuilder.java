package org.poolbench.pool;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures a {@link ProcessPool}. Not thread-safe; {@link #build()} may be called more than once.
 */
public final class ProcessPoolBuilder {
    int workers = Runtime.getRuntime().availableProcessors();
    int maxTasksPerChild;
    Duration taskTimeout;
    Duration startTimeout = Duration.ofSeconds(60);
    List<String> jvmArgs = List.of();
    final List<String> allowed = new ArrayList<>(List.of(ProcessPool.DEFAULT_ALLOWED_CLASSES.split(";")));
    long maxArrayLength = DEFAULT_MAX_ARRAY_LENGTH;
    long maxReferences = DEFAULT_MAX_REFERENCES;
    long maxBytes = DEFAULT_MAX_BYTES;
    ProcessPool.Transport transport = ProcessPool.Transport.byDefault();

    /** The default of {@link #deserializationLimits}' {@code maxArrayLength}: 2^27 elements (a {@code long[]} of 1 GiB). */
    public static final long DEFAULT_MAX_ARRAY_LENGTH = 1L << 27;
    /** The default of {@link #deserializationLimits}' {@code maxReferences}: 2^27 objects. */
    public static final long DEFAULT_MAX_REFERENCES = 1L << 27;
    /** The default of {@link #deserializationLimits}' {@code maxBytes}: 1 GiB of stream. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    java.util.function.IntConsumer spawnHook;
    SerializableFunction<?, ?> initializer;
    Object initArg;

    /**
     * Runs {@code init.apply(arg)} once in each worker, before it takes any task, as CPython's
     * {@code Pool(initializer=, initargs=)} (several arguments: pass a list or a record). A worker counts as
     * started only after it has run; an initializer that throws makes the worker exit with its stack trace in
     * the stderr tail, so {@link #build()} throws {@link IllegalStateException}, and if replacement workers fail
     * it three times in a row the pool is broken. Replacement and recycled workers run it too.
     *
     * @throws IllegalArgumentException if {@code init} or {@code arg} cannot be sent to a worker
     */
    public <A> ProcessPoolBuilder initializer(SerializableFunction<A, ?> init, A arg) {
        Objects.requireNonNull(init, "init");
        try {
            WireValues.put(new Wire.Buf(64), arg, 1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the initializer's argument cannot be sent to a worker: " + e, e);
        }
        this.initializer = init;
        this.initArg = arg;
        return this;
    }

    /** Tests only: called with the slot before each worker is spawned; what it throws, spawning throws. */
    ProcessPoolBuilder spawnHook(java.util.function.IntConsumer hook) {
        this.spawnHook = hook;
        return this;
    }

    ProcessPoolBuilder() { // through ProcessPool.builder()
    }

    /** The number of worker JVMs; default: {@link Runtime#availableProcessors()}. */
    public ProcessPoolBuilder workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.workers = workers;
        return this;
    }

    /**
     * Replaces a worker with a fresh JVM after it has run {@code k} work units (an {@code apply}, or one chunk
     * of a {@code map}: CPython's meaning of a task here). {@code 0}, the default, never recycles.
     */
    public ProcessPoolBuilder maxTasksPerChild(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("maxTasksPerChild must be >= 0 (0 = unlimited), got " + k);
        }
        this.maxTasksPerChild = k;
        return this;
    }

    /**
     * Fails a task that runs longer than {@code timeout} with a {@link TaskTimeoutException}, killing and
     * replacing its worker. A chunk of {@code k} tasks is allowed {@code k × timeout} from when it started.
     * Checked every {@code timeout / 10} (at least 5 ms, at most 100 ms). {@code null}: no timeout (default).
     */
    public ProcessPoolBuilder taskTimeout(Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("taskTimeout must be positive, got " + timeout);
        }
        this.taskTimeout = timeout;
        return this;
    }

    /** How long a worker may take from spawn to handshake before it is killed; default 60 s. */
    public ProcessPoolBuilder startTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + timeout);
        }
        this.startTimeout = timeout;
        return this;
    }

    /**
     * Extra JVM options for the workers, after the pool's own start-up flags (so they win), e.g.
     * {@code "-Xmx2g"} or {@code "-XX:+UseParallelGC"}.
     */
    public ProcessPoolBuilder jvmArgs(String... args) {
        return jvmArgs(List.of(args));
    }

    /** {@link #jvmArgs(String...)} from a list. */
    public ProcessPoolBuilder jvmArgs(List<String> args) {
        this.jvmArgs = List.copyOf(args);
        return this;
    }

    /**
     * Adds {@link ObjectInputFilter.Config#createFilter pattern}s (e.g. {@code "com.example.**"} or
     * {@code "com.example.Point"}) to the classes workers and parent may deserialize, on top of
     * {@link ProcessPool#DEFAULT_ALLOWED_CLASSES}. Values the pool hand-encodes are not affected.
     */
    public ProcessPoolBuilder allowClasses(String... patterns) {
        for (String p : patterns) {
            if (p.isBlank() || p.contains(";") || p.startsWith("!")) {
                throw new IllegalArgumentException("not a class pattern: '" + p + "'");
            }
            allowed.add(p.trim());
        }
        return this;
    }

    /**
     * Bounds what one value may become when it is deserialized, in the parent (from a worker) and in workers: the
     * longest array or collection ({@code maxarray} of {@link ObjectInputFilter.Config#createFilter}; a collection's
     * stated size counts), the number of objects ({@code maxrefs}) and the stream's length ({@code maxbytes}).
     * Whatever they are set to, an array may not state more elements than four per byte its message carries, so a
     * few bytes can never claim gigabytes. The defaults ({@value #DEFAULT_MAX_ARRAY_LENGTH},
     * {@value #DEFAULT_MAX_REFERENCES}, {@value #DEFAULT_MAX_BYTES}) refuse no value a pool can send; a value over
     * a limit fails its task with an error that names the limit.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public ProcessPoolBuilder deserializationLimits(long maxArrayLength, long maxReferences, long maxBytes) {
        if (maxArrayLength < 1 || maxReferences < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("deserialization limits must be positive, got maxArrayLength="
                    + maxArrayLength + ", maxReferences=" + maxReferences + ", maxBytes=" + maxBytes);
        }
        this.maxArrayLength = maxArrayLength;
        this.maxReferences = maxReferences;
        this.maxBytes = maxBytes;
        return this;
    }

    /**
     * How tasks and results travel between this JVM and each worker: {@link ProcessPool.Transport#PIPE} (the
     * default, unless the system property {@code poolbench.pool.transport} says {@code shared-memory}) or
     * {@link ProcessPool.Transport#SHARED_MEMORY}. Shared memory needs {@code /dev/shm}; where it is
     * missing or not writable the pool uses pipes, and {@link ProcessPool#transport()} says which it got. Faults,
     * timeouts and results behave the same on both.
     */
    public ProcessPoolBuilder transport(ProcessPool.Transport transport) {
        this.transport = java.util.Objects.requireNonNull(transport, "transport");
        return this;
    }

    /**
     * Starts the workers in parallel and returns when all of them have completed their handshake.
     *
     * @throws IllegalStateException if a worker cannot start; its exit code and stderr are in the message
     */
    public ProcessPool build() {
        return ProcessPool.start(this);
    }
}
