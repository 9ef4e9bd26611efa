package org.poolbench.bench;

import java.util.ArrayList;
import java.util.List;
import org.poolbench.workload.Factorial;

/**
 * Whether this machine's speed holds still: in one warm JVM, round after round, a 64 MiB memory copy, two factorials
 * of 60 000 and a pure-arithmetic loop, each timed on its own. On a quiet machine all three are flat after warm-up; on
 * a virtual machine whose cache and memory are shared with other guests, the memory-heavy two move together in
 * phases of seconds while the loop stays put (docs/METHODOLOGY.md, "Blocking"). Not a test: run by hand, pinned to
 * one core, and read the columns and the correlations at the end.
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * taskset -c 0 java -XX:+UseSerialGC -Xms1g -Xmx1g -cp target/benchmarks.jar:target/test-classes \
 *     org.poolbench.bench.MachinePhaseProbe 60
 * </pre>
 */
public final class MachinePhaseProbe {
    private static final int WARM_ROUNDS = 15;

    private MachinePhaseProbe() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long[] src = new long[8 << 20];
        long[] dst = new long[8 << 20];
        long sink = 0;
        List<double[]> rows = new ArrayList<>();
        System.out.println("round  copy GB/s  factorial ms  arithmetic ms");
        for (int r = 0; r < WARM_ROUNDS + rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                System.arraycopy(src, 0, dst, 0, src.length);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                sink += Factorial.of(60_000).bitLength();
            }
            long t2 = System.nanoTime();
            sink += xorshift(20_000_000);
            long t3 = System.nanoTime();
            double[] row = {4.0 * src.length * 8 / (t1 - t0), (t2 - t1) / 2e6, (t3 - t2) / 1e6};
            if (r >= WARM_ROUNDS) { // the first rounds include the JIT's compilations
                rows.add(row);
                System.out.printf("%5d  %9.1f  %12.1f  %13.1f%n", r - WARM_ROUNDS + 1, row[0], row[1], row[2]);
            }
        }
        System.out.printf("factorial: min %.1f, max %.1f ms; arithmetic: min %.1f, max %.1f ms%n", min(rows, 1),
                max(rows, 1), min(rows, 2), max(rows, 2));
        System.out.printf("correlation of factorial time with copy time %.2f, with arithmetic time %.2f (%d)%n",
                correlation(rows, r -> 1 / r[0], r -> r[1]), correlation(rows, r -> r[2], r -> r[1]), sink & 1);
    }

    private static long xorshift(int n) {
        long x = 88172645463325252L;
        long s = 0;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            s += x;
        }
        return s;
    }

    private static double min(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).min().orElseThrow();
    }

    private static double max(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).max().orElseThrow();
    }

    private static double correlation(List<double[]> rows, java.util.function.ToDoubleFunction<double[]> x,
            java.util.function.ToDoubleFunction<double[]> y) {
        double[] a = rows.stream().mapToDouble(x).toArray();
        double[] b = rows.stream().mapToDouble(y).toArray();
        return new org.apache.commons.math3.stat.correlation.PearsonsCorrelation().correlation(a, b);
    }
}
