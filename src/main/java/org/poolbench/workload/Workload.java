package org.poolbench.workload;

import java.util.List;
import org.poolbench.pool.SerializableFunction;

/**
 * One job of a workload: a list of inputs and the task applied to each. Running {@link #task()} over
 * {@link #inputs()} with any backend must give {@link #expected()}, in order; benchmarks check that on every job.
 *
 * @param <T> the input of one task
 * @param <R> the result of one task: small and comparable with {@code equals}, so checking it is cheap
 */
public interface Workload<T, R> {

    /** The name users see: {@code factorial}, {@code squares} or {@code download}. */
    String name();

    /** The inputs of one job, in order. */
    List<T> inputs();

    /** The task; a serializable function so process backends can ship it to worker JVMs. */
    SerializableFunction<T, R> task();

    /** The correct results of one job, computed without any backend (cached after the first call). */
    List<R> expected();

    /**
     * Throws {@link IllegalStateException} unless {@code results} equals {@link #expected()}; the message names the
     * first wrong index, so a broken backend can never pass for a fast one.
     */
    default void verify(List<R> results) {
        List<R> expected = expected();
        if (results == null || results.size() != expected.size()) {
            throw new IllegalStateException(name() + ": expected " + expected.size() + " results, got "
                    + (results == null ? "null" : results.size()));
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(results.get(i))) {
                throw new IllegalStateException(name() + ": wrong result at index " + i + ": expected "
                        + expected.get(i) + ", got " + results.get(i));
            }
        }
    }
}
