package org.poolbench.pool;

import java.util.Arrays;
import java.util.List;

/**
 * The distribution of {@code apply} round trips, for docs/POOL.md (JMH reports means; on a shared machine the
 * median and the fastest tenth say more). Not a unit test; run by hand, e.g. with {@code -Dpoolbench.spinNanos=0}
 * to see what parking at once costs. Arguments: the number of workers, then the workers' JVM flags (for instance
 * the same {@code -Dpoolbench.pool.spinMicros} as this JVM's):
 *
 * <pre>
 * java -Dpoolbench.pool.transport=shared-memory -cp target/benchmarks.jar:target/test-classes \
 *     org.poolbench.pool.RoundTripProbe 2 -Dpoolbench.pool.spinMicros=5
 * </pre>
 */
public final class RoundTripProbe {
    private RoundTripProbe() {
    }

    public static long square(long x) {
        return x * x;
    }

    /** {@code n} applies of {@link #square} one after another, each checked: their times in ns, sorted. */
    public static long[] applyNanos(ProcessPool pool, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            long r = pool.apply(RoundTripProbe::square, (long) i);
            t[i] = System.nanoTime() - t0;
            if (r != (long) i * i) {
                throw new IllegalStateException("apply(square, " + i + ") returned " + r);
            }
        }
        Arrays.sort(t);
        return t;
    }

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.builder().workers(Integer.parseInt(args[0]))
                .jvmArgs(List.of(args).subList(1, args.length)).build()) {
            for (int round = 0; round < 5; round++) {
                long[] t = applyNanos(pool, 20_000);
                System.out.printf("round %d: p10 %.1f  median %.1f  p90 %.1f  p99 %.1f us%n", round,
                        t[t.length / 10] / 1e3, t[t.length / 2] / 1e3, t[t.length * 9 / 10] / 1e3,
                        t[t.length * 99 / 100] / 1e3);
            }
            System.out.println("transport " + pool.transport() + ", workers' flags " + List.of(args).subList(1, args.length));
        }
    }
}
