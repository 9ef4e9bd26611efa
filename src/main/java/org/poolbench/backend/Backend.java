package org.poolbench.backend;

import java.util.List;
import org.poolbench.pool.SerializableFunction;

/**
 * One way to run a list of independent tasks: sequentially, on threads, or in worker processes.
 *
 * <p>A backend is created once with its worker count and lives across many {@link #map} calls, so a benchmark
 * measures the work and not the set-up (the creation family measures the set-up on purpose).
 *
 * <p>Every backend splits the input the same way: into chunks of {@code chunksize} consecutive tasks, each chunk one
 * unit of scheduling. {@link #AUTO_CHUNKSIZE} picks CPython's {@code Pool.map} rule, {@code ceil(n / (4 × workers))}.
 */
public interface Backend extends AutoCloseable {

    /** Chunk size that selects CPython's rule: {@code ceil(n / (4 × workers))}. */
    int AUTO_CHUNKSIZE = 0;

    /** The name users see, e.g. {@code thread-pool}. */
    String name();

    /** How many tasks may run at once. */
    int workers();

    /**
     * Applies {@code fn} to every input and returns the results in input order.
     *
     * @param chunksize tasks per unit of scheduling, or {@link #AUTO_CHUNKSIZE}
     * @throws BackendException if a task failed; the message names the task's input index where known
     */
    <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs, int chunksize);

    /** {@link #map(SerializableFunction, List, int)} with {@link #AUTO_CHUNKSIZE}. */
    default <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs) {
        return map(fn, inputs, AUTO_CHUNKSIZE);
    }

    /** Releases threads or processes; idempotent. */
    @Override
    void close();

    /** The chunk size {@code map} uses for {@code n} tasks: CPython's rule when asked for {@link #AUTO_CHUNKSIZE}. */
    static int effectiveChunksize(int n, int workers, int chunksize) {
        if (chunksize < 0) {
            throw new IllegalArgumentException("chunksize must be >= 0 (0 = auto), got " + chunksize);
        }
        if (chunksize > 0) {
            return chunksize;
        }
        if (n == 0) {
            return 1;
        }
        long divisor = 4L * Math.max(1, workers);
        return (int) Math.max(1, (n + divisor - 1) / divisor);
    }
}
