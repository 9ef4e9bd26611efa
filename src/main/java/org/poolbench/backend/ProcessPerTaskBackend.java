package org.poolbench.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.poolbench.pool.ProcessPool;
import org.poolbench.pool.SerializableFunction;

/**
 * {@code process-per-task}: a fresh worker JVM for every chunk, ended when the chunk is done, with at most
 * {@code workers} alive at once: the seeds' {@code Process(target=...)} pattern. Each chunk pays a JVM's start-up;
 * the difference to {@code process-pool} is that cost.
 */
final class ProcessPerTaskBackend implements Backend {

    private final int workers;
    private final Semaphore permits;

    ProcessPerTaskBackend(int workers) {
        this.workers = Backends.checkWorkers(workers);
        this.permits = new Semaphore(workers);
    }

    @Override
    public String name() {
        return "process-per-task";
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs, int chunksize) {
        int n = inputs.size();
        int size = Backend.effectiveChunksize(n, workers, chunksize);
        List<CompletableFuture<List<R>>> chunks = new ArrayList<>();
        try {
            for (int from = 0; from < n; from += size) {
                List<T> chunk = inputs.subList(from, Math.min(n, from + size));
                int start = from;
                permits.acquire(); // never more than `workers` JVMs alive
                CompletableFuture<List<R>> result = new CompletableFuture<>();
                Thread.ofPlatform().daemon().name("poolbench-process-per-task").start(() -> {
                    try (ProcessPool one = ProcessPool.builder().workers(1).jvmArgs(Backends.workerJvmArgs())
                            .build()) {
                        result.complete(one.map(fn, chunk, chunk.size()));
                    } catch (RuntimeException e) {
                        // the pool numbers tasks within the chunk: say where the chunk starts
                        result.completeExceptionally(new BackendException(name() + ": in the chunk starting at input "
                                + start + ": " + e.getMessage(), e));
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    } finally {
                        permits.release();
                    }
                });
                chunks.add(result);
            }
            List<R> out = new ArrayList<>(n);
            for (CompletableFuture<List<R>> c : chunks) {
                out.addAll(c.join());
            }
            return out;
        } catch (CompletionException e) {
            chunks.forEach(c -> c.handle((v, t) -> null).join()); // let every JVM end before we report
            if (e.getCause() instanceof BackendException be) {
                throw new BackendException(be.getMessage(), be.getCause());
            }
            throw new BackendException(name() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(name() + ": interrupted while starting workers", e);
        }
    }

    @Override
    public void close() {
        // no process outlives a map call
    }
}
