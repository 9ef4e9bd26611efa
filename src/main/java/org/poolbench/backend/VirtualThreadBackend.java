package org.poolbench.backend;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One new virtual thread per chunk, with at most {@code workers} chunks running at once (a semaphore), so that the
 * worker count means the same as for the other backends. Virtual threads are not pooled: creating them is cheap, and
 * that is part of what this backend shows.
 */
final class VirtualThreadBackend extends ChunkedBackend {

    private final Semaphore permits;

    VirtualThreadBackend(int workers) {
        super("virtual-threads", workers);
        this.permits = new Semaphore(workers);
    }

    @Override
    <R> Future<List<R>> submit(ChunkTask<R> chunk) {
        CompletableFuture<List<R>> result = new CompletableFuture<>();
        Thread.ofVirtual().name("poolbench-vt").start(() -> {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                result.completeExceptionally(e);
                return;
            }
            try {
                result.complete(chunk.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                permits.release();
            }
        });
        return result;
    }

    @Override
    public void close() {
        // no threads outlive a map call
    }
}
