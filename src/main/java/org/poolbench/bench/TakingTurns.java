package org.poolbench.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.poolbench.backend.Backend;
import org.poolbench.backend.Backends;
import org.poolbench.results.Alternation;

/**
 * The backends of a benchmark whose {@code backend} parameter lists several ({@code sequential/thread-pool}): all
 * started in the set-up, one used per iteration, in the order {@link Alternation#index} gives (which results.csv
 * relies on to split the iterations back into points). With one backend, it is simply that backend. An entry with
 * its own workers ({@code thread-pool@1:1}, {@link Alternation#entry}) is started with those.
 */
final class TakingTurns implements AutoCloseable {

    /** The entries of the backend list, as given. */
    final List<String> names;
    /** What each entry stands for; cores and workers 0 where it takes the JVM's. */
    private final List<Alternation.Turn> entries = new ArrayList<>();
    private final List<Backend> backends = new ArrayList<>();
    private Backend current;
    private int warmupIterations;
    private int measuredIterations;

    /**
     * Starts every backend of {@code backendParam} with {@code workers}, or with an entry's own; closes those started
     * if one fails.
     */
    TakingTurns(String backendParam, int workers) {
        names = Alternation.backends(backendParam);
        try {
            for (String name : names) {
                Alternation.Turn entry = Alternation.turn(name, 0);
                entries.add(entry);
                backends.add(Backends.create(entry.backend(), entry.workers() > 0 ? entry.workers() : workers));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        current = backends.get(0);
    }

    /** The backend of the current iteration. */
    Backend current() {
        return current;
    }

    /** The backend named {@code name} (one of {@link #names}). */
    Backend get(String name) {
        return backends.get(names.indexOf(name));
    }

    /**
     * Moves to the next iteration's backend and returns that iteration's index: warm-up and measured iterations are
     * each counted from 0, so anything else that alternates per iteration can follow the same order.
     */
    int turn(IterationParams iteration) {
        int index = next(iteration);
        current = backends.get(Alternation.index(index, backends.size()));
        return index;
    }

    /** The iteration's index: warm-up and measured iterations each counted from 0. */
    private int next(IterationParams iteration) {
        return iteration.getType() == IterationType.WARMUP ? warmupIterations++ : measuredIterations++;
    }

    /**
     * Moves to the next iteration's point where every backend takes its turn at each of {@code sizes} values (task
     * sizes, {@link Alternation#withTaskSizes}) and returns the point: the backend is {@code point % backends},
     * the value {@code point / backends}. With one value this is {@link #turn(IterationParams)}'s order.
     */
    int turn(IterationParams iteration, int sizes) {
        int point = Alternation.index(next(iteration), backends.size() * sizes);
        current = backends.get(point % backends.size());
        return point;
    }

    /**
     * Makes the entry that {@code turn} stands for the current backend, for a benchmark that orders its own turns:
     * the entry with the turn's own cores and workers, or the plain entry of its backend when it has none.
     *
     * @throws IllegalArgumentException when no entry matches
     */
    void use(Alternation.Turn turn) {
        for (int i = 0; i < entries.size(); i++) {
            Alternation.Turn e = entries.get(i);
            boolean own = e.workers() > 0;
            if (e.backend().equals(turn.backend()) && (own
                    ? e.cores() == turn.cores() && e.workers() == turn.workers() : turn.workers() == 0)) {
                current = backends.get(i);
                return;
            }
        }
        throw new IllegalArgumentException("no backend entry for " + turn + " among " + names);
    }

    /** Calls {@code action} with each backend's name and backend, in order (to warm them all). */
    void forEach(BiConsumer<String, Backend> action) {
        for (int i = 0; i < backends.size(); i++) {
            action.accept(names.get(i), backends.get(i));
        }
    }

    /** Closes every backend, even if one fails to close; rethrows the first failure. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Backend b : backends) {
            try {
                b.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        backends.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Whether every backend has been closed. */
    boolean closed() {
        return backends.isEmpty();
    }
}
