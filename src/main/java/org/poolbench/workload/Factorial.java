package org.poolbench.workload;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.poolbench.pool.SerializableFunction;

/**
 * The CPU-bound workload: {@code n!} as a {@link BigInteger}, the seeds' big-factorial experiment.
 *
 * <p>{@code n!} is computed by a balanced product tree, so that BigInteger's Karatsuba and Toom-Cook multiplication do
 * the heavy lifting, as CPython's {@code math.factorial} does with its divide-and-conquer product. A task returns a
 * {@link Digest} (bit length and hash) instead of the value: 70000! has about 300 KB, and shipping that back would
 * measure the pipe, not the CPU. {@link #fullValue()} is the task that does return the value.
 */
public final class Factorial implements Workload<Integer, Factorial.Digest> {

    /** The seeds' sizes. */
    public static final List<Integer> DEFAULT_SIZES = List.of(50_000, 60_000, 70_000);

    /** Tasks in a default job: the seeds' sizes, four times over. */
    public static final int DEFAULT_TASKS = 12;

    private final List<Integer> inputs;
    private List<Digest> expected;

    /** A job of {@code tasks} factorials, cycling through {@code sizes}. */
    public Factorial(List<Integer> sizes, int tasks) {
        if (sizes.isEmpty() || tasks <= 0) {
            throw new IllegalArgumentException("factorial needs sizes and a positive task count");
        }
        for (int n : sizes) {
            if (n < 0) {
                throw new IllegalArgumentException("factorial size must be >= 0, got " + n);
            }
        }
        List<Integer> in = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            in.add(sizes.get(i % sizes.size()));
        }
        this.inputs = List.copyOf(in);
    }

    /** What a task returns: enough to check {@code n!} without carrying it. */
    public record Digest(int n, long bitLength, int hash) implements Serializable {
        /** The digest of a computed value. */
        public static Digest of(int n, BigInteger value) {
            return new Digest(n, value.bitLength(), value.hashCode());
        }
    }

    /** {@code n!}, by a balanced product tree. */
    public static BigInteger of(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        return n < 2 ? BigInteger.ONE : product(2, n);
    }

    /** The product of the integers in [lo, hi]. */
    private static BigInteger product(int lo, int hi) {
        if (hi - lo < 16) {
            long acc = 1;
            BigInteger big = BigInteger.ONE;
            for (int i = lo; i <= hi; i++) {
                if (acc > Long.MAX_VALUE / i) { // keep small products in a long: fewer BigInteger allocations
                    big = big.multiply(BigInteger.valueOf(acc));
                    acc = 1;
                }
                acc *= i;
            }
            return big.multiply(BigInteger.valueOf(acc));
        }
        int mid = (lo + hi) >>> 1;
        return product(lo, mid).multiply(product(mid + 1, hi));
    }

    /** The task: {@code n -> digest(n!)}. */
    public static Digest digest(int n) {
        return Digest.of(n, of(n));
    }

    /** The task that returns the full value. */
    public static SerializableFunction<Integer, BigInteger> fullValue() {
        return Factorial::of;
    }

    @Override
    public String name() {
        return "factorial";
    }

    @Override
    public List<Integer> inputs() {
        return inputs;
    }

    @Override
    public SerializableFunction<Integer, Digest> task() {
        return Factorial::digest;
    }

    @Override
    public synchronized List<Digest> expected() {
        if (expected == null) {
            // each distinct size once: the sizes repeat
            java.util.Map<Integer, Digest> bySize = new java.util.HashMap<>();
            expected = inputs.stream().map(n -> bySize.computeIfAbsent(n, Factorial::digest)).toList();
        }
        return expected;
    }

    @Override
    public String toString() {
        return "factorial" + Objects.toString(inputs);
    }
}
