package org.poolbench.pool;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Where a fresh program's first {@code map}s go: a pool built with its defaults, plus the worker JVM flags given as
 * arguments, maps 10^6 boxed squares six times and prints each round's milliseconds. Run it with and without
 * {@code -XX:+AlwaysPreTouch} (on this JVM, on the workers, or both) to see how much of the first rounds is the first
 * touch of fresh heap pages (docs/POOL.md, "Transports"). Not a test: run by hand, from a jar so that the workers
 * get their class archive,
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * jar cf /tmp/coldmap.jar -C target/test-classes org/poolbench/pool/ColdMapProbe.class
 * java -XX:+AlwaysPreTouch -cp target/benchmarks.jar:/tmp/coldmap.jar org.poolbench.pool.ColdMapProbe -XX:+AlwaysPreTouch
 * </pre>
 */
final class ColdMapProbe {
    private static final int N = 1_000_000;

    private ColdMapProbe() {
    }

    static long square(long x) {
        return x * x;
    }

    public static void main(String[] workerFlags) throws Exception {
        List<Long> xs = LongStream.range(0, N).boxed().toList();
        StringBuilder rounds = new StringBuilder();
        long t0 = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().jvmArgs(workerFlags).build()) {
            double built = (System.nanoTime() - t0) / 1e6;
            for (int r = 0; r < 6; r++) {
                long t = System.nanoTime();
                List<Long> out = pool.map(ColdMapProbe::square, xs);
                rounds.append(String.format(" %.0f", (System.nanoTime() - t) / 1e6));
                if (out.size() != N || out.get(N - 1) != (long) (N - 1) * (N - 1)) {
                    throw new IllegalStateException("map(square) returned a wrong result");
                }
            }
            System.out.printf("workers %s: pool built in %.0f ms; map rounds%s ms%n",
                    workerFlags.length == 0 ? "(defaults)" : Arrays.toString(workerFlags), built, rounds);
        }
    }
}
