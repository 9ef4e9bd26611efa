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
        this.inputs = List.copyOf(new Numbers(count, false));
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
        return new Numbers(count, true);
    }

    /** 0, 1, …, size-1, or their squares, computed on demand: a million boxed longs need not sit in memory. */
    private static final class Numbers extends AbstractList<Long> implements RandomAccess {
        private final int size;
        private final boolean squared;

        Numbers(int size, boolean squared) {
            this.size = size;
            this.squared = squared;
        }

        @Override
        public Long get(int i) {
            java.util.Objects.checkIndex(i, size);
            return squared ? (long) i * i : (long) i;
        }

        @Override
        public int size() {
            return size;
        }
    }
}
