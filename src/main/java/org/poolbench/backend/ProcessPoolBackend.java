package org.poolbench.backend;

import java.util.List;
import org.poolbench.pool.ProcessPool;
import org.poolbench.pool.SerializableFunction;
import org.poolbench.pool.TaskFailedException;
import org.poolbench.pool.WorkerDiedException;

/** {@code process-pool}: one long-lived {@link ProcessPool} of {@code workers} worker JVMs, chunks as asked. */
final class ProcessPoolBackend implements Backend {

    private final ProcessPool pool;

    ProcessPoolBackend(int workers) {
        this.pool = ProcessPool.builder().workers(workers).jvmArgs(Backends.workerJvmArgs()).build();
    }

    @Override
    public String name() {
        return "process-pool";
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
