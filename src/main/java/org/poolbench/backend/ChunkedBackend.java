package org.poolbench.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.poolbench.pool.SerializableFunction;

/**
 * The shared part of the thread backends: cut the input into chunks, hand each chunk to {@link #submit}, then collect
 * the chunks in order. Subclasses only decide where a chunk runs.
 */
abstract class ChunkedBackend implements Backend {

    private final String name;
    private final int workers;

    ChunkedBackend(String name, int workers) {
        this.name = name;
        this.workers = Backends.checkWorkers(workers);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int workers() {
        return workers;
    }

    /** Starts one chunk; the future completes with that chunk's results, in order. */
    abstract <R> Future<List<R>> submit(ChunkTask<R> chunk);

    @Override
    public final <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs, int chunksize) {
        int n = inputs.size();
        int size = Backend.effectiveChunksize(n, workers, chunksize);
        List<Future<List<R>>> futures = new ArrayList<>((n + size - 1) / size);
        try {
            for (int from = 0; from < n; from += size) {
                futures.add(submit(new ChunkTask<>(fn, inputs, from, Math.min(n, from + size))));
            }
            List<R> results = new ArrayList<>(n);
            for (Future<List<R>> f : futures) {
                results.addAll(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            cancelAll(futures);
            Throwable cause = e.getCause() instanceof BackendException be ? be.getCause() : e.getCause();
            String message = e.getCause() instanceof BackendException be ? be.getMessage() : "a task failed: " + cause;
            throw new BackendException(name + ": " + message, cause);
        } catch (InterruptedException e) {
            cancelAll(futures);
            Thread.currentThread().interrupt();
            throw new BackendException(name + ": interrupted while waiting for results", e);
        } catch (CancellationException e) {
            throw new BackendException(name + ": cancelled", e);
        }
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        futures.forEach(f -> f.cancel(true));
    }

    /** One chunk of consecutive inputs; reports the failing input's index. */
    static final class ChunkTask<R> implements java.util.concurrent.Callable<List<R>> {
        private final SerializableFunction<Object, R> fn;
        private final List<?> inputs;
        private final int from;
        private final int to;

        @SuppressWarnings("unchecked")
        <T> ChunkTask(SerializableFunction<T, R> fn, List<T> inputs, int from, int to) {
            this.fn = (SerializableFunction<Object, R>) fn;
            this.inputs = inputs;
            this.from = from;
            this.to = to;
        }

        @Override
        public List<R> call() {
            List<R> out = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                try {
                    out.add(fn.apply(inputs.get(i)));
                } catch (RuntimeException | Error e) {
                    throw new BackendException("task " + i + " (input " + inputs.get(i) + ") failed: " + e, e);
                }
            }
            return out;
        }
    }
}
