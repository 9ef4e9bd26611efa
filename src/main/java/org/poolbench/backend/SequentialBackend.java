package org.poolbench.backend;

import java.util.ArrayList;
import java.util.List;
import org.poolbench.pool.SerializableFunction;

/** The baseline: every task on the caller's thread, one after another. Chunk size changes nothing here. */
final class SequentialBackend implements Backend {

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
        // nothing to release
    }
}
