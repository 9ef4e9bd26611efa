package org.poolbench.backend;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A backend over a long-lived {@link ExecutorService}: {@code thread-pool} (fixed platform threads) and
 * {@code fork-join} (a work-stealing {@link java.util.concurrent.ForkJoinPool} of the same parallelism).
 */
final class ExecutorBackend extends ChunkedBackend {

    private final ExecutorService executor;

    ExecutorBackend(String name, int workers, ExecutorService executor) {
        super(name, workers);
        this.executor = executor;
    }

    @Override
    <R> Future<List<R>> submit(ChunkTask<R> chunk) {
        return executor.submit(chunk);
    }

    @Override
    public void close() {
        shutdown(name(), executor);
    }

    /** Stops {@code executor}'s threads, interrupting running tasks, and waits up to 10 s for them to end. */
    static void shutdown(String name, ExecutorService executor) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": threads still running 10 s after shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
