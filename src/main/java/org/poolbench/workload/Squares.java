package org.poolbench.workload;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.poolbench.pool.SerializableFunction;

/**
 * The tiny-task workload: {@code x -> x * x} over {@code 0, 1, …, count-1}, the seeds' {@code pool.map(square,
 * numbers)}. A task does almost nothing, so this workload measures what a backend costs per task.
 */
public final class Squares implements Workload<Long, Long> {

    /** The default job: a million numbers. */
    public static final int DEFAULT_COUNT = 1_000_000;

    private final int count;
    private final List<Long> inputs;

    public Squares(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("squares needs a positive count, got " + count);
        }
        this.count = count;
        this.inputs = List.copyOf(new Range(count));
    }

    /** The task. */
    public static long square(long x) {
        return x * x;
    }

    @Override
    public String name() {
        return "squares";
    }

    @Override
    public List<Long> inputs() {
        return inputs;
    }

    @Override
    public SerializableFunction<Long, Long> task() {
        return Squares::square;
    }

    @Override
    public List<Long> expected() {
        return new AbstractSquares(count);
    }

    private static final class Range extends AbstractList<Long> implements RandomAccess {
        private final int size;

        Range(int size) {
            this.size = size;
        }

        @Override
        public Long get(int i) {
            return (long) i;
        }

        @Override
        public int size() {
            return size;
        }
    }

    private static final class AbstractSquares extends AbstractList<Long> implements RandomAccess {
        private final int size;

        AbstractSquares(int size) {
            this.size = size;
        }

        @Override
        public Long get(int i) {
            return (long) i * i;
        }

        @Override
        public int size() {
            return size;
        }
    }
}
