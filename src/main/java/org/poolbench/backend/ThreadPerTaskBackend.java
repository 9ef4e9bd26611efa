package org.poolbench.backend;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * A new platform thread for every chunk, never reused: the seeds' {@code threading.Thread(target=...)} pattern. At most
 * {@code workers} of them run at once, so the difference to {@code thread-pool} is the cost of creating threads.
 */
final class ThreadPerTaskBackend extends ChunkedBackend {

    private final Semaphore permits;

    ThreadPerTaskBackend(int workers) {
        super("thread-per-task", workers);
        this.permits = new Semaphore(workers);
    }

    @Override
    <R> Future<List<R>> submit(ChunkTask<R> chunk) {
        CompletableFuture<List<R>> result = new CompletableFuture<>();
        try {
            permits.acquire(); // block the submitter: never more than `workers` threads alive
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(e);
            return result;
        }
        Thread t = Thread.ofPlatform().name("poolbench-thread-per-task").daemon().unstarted(() -> {
            try {
                result.complete(chunk.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                permits.release();
            }
        });
        t.start();
        return result;
    }

    @Override
    public void close() {
        // no threads outlive a map call
    }
}
