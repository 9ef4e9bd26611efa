package org.poolbench.backend;

import java.util.List;
import org.poolbench.pool.ProcessPool;
import org.poolbench.pool.SerializableFunction;
import org.poolbench.pool.TaskFailedException;
import org.poolbench.pool.WorkerDiedException;

/**
 * {@code process-pool}: one long-lived {@link ProcessPool} of {@code workers} worker JVMs, chunks as asked, over
 * pipes; {@code process-pool-shm}: the same over shared memory ({@link ProcessPool.Transport#SHARED_MEMORY}).
 */
final class ProcessPoolBackend implements Backend {

    private final ProcessPool pool;
    private final String name;

    ProcessPoolBackend(int workers, ProcessPool.Transport transport) {
        this.pool = ProcessPool.builder().workers(workers).transport(transport).jvmArgs(Backends.workerJvmArgs())
                .build();
        if (pool.transport() != transport) {
            pool.close();
            throw new BackendException("process-pool-shm: no shared memory here (/dev/shm is missing or not"
                    + " writable); the pool would have used pipes", null);
        }
        this.name = transport == ProcessPool.Transport.PIPE ? "process-pool" : "process-pool-shm";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int workers() {
        return pool.workers();
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs, int chunksize) {
        int size = Backend.effectiveChunksize(inputs.size(), pool.workers(), chunksize);
        try {
            return pool.map(fn, inputs, size);
        } catch (TaskFailedException | WorkerDiedException e) {
            throw new BackendException(name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
