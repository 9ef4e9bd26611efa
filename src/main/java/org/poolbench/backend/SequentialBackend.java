package org.poolbench.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.poolbench.pool.SerializableFunction;

/**
 * The baseline: every task one after another on one thread of its own ({@link #THREAD_NAME}), the caller waiting,
 * as a one-worker {@code thread-pool} runs a job whose chunk is the whole input. Chunk size changes nothing here.
 */
final class SequentialBackend implements Backend {

    /** The name of the thread every job runs on (at most 15 characters: Linux's thread name). */
    static final String THREAD_NAME = "sequential";

    private final ExecutorService runner = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name(THREAD_NAME).daemon().factory());

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs, int chunksize) {
        Backend.effectiveChunksize(inputs.size(), 1, chunksize); // same argument checks as every backend
        Future<List<R>> job = runner.submit(() -> run(fn, inputs));
        try {
            return job.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BackendException be ? be
                    : new BackendException("sequential: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
            throw new BackendException("sequential: interrupted while waiting for results", e);
        }
    }

    private static <T, R> List<R> run(SerializableFunction<T, R> fn, List<T> inputs) {
        List<R> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            try {
                out.add(fn.apply(inputs.get(i)));
            } catch (RuntimeException | Error e) {
                throw new BackendException(
                        "sequential: task " + i + " (input " + inputs.get(i) + ") failed: " + e, e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        ExecutorBackend.shutdown(name(), runner);
    }
}
