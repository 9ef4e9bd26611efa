package org.poolbench.pool;

import java.util.List;

/**
 * A pool built and its first results back, eight times in one JVM: the time to "ready" (every worker's handshake)
 * and to the first results of {@code map(square)} over one number per worker, as OverheadBenchmark's
 * {@code poolStartup} and {@code poolFirstResults} measure them, with each round's split printed (docs/POOL.md,
 * "Start-up"). Arguments: the number of workers. Not a test: run by hand, from a jar so that workers get their class
 * archive,
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * jar cf /tmp/first.jar -C target/test-classes org/poolbench/pool/FirstResultsProbe.class
 * java -cp target/benchmarks.jar:/tmp/first.jar org.poolbench.pool.FirstResultsProbe 2
 * </pre>
 */
final class FirstResultsProbe {
    private FirstResultsProbe() {
    }

    static long square(long x) {
        return x * x;
    }

    public static void main(String[] args) {
        int workers = Integer.parseInt(args[0]);
        List<Long> xs = java.util.stream.LongStream.rangeClosed(1, workers).boxed().toList();
        List<Long> expected = xs.stream().map(x -> x * x).toList();
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            try (ProcessPool pool = ProcessPool.builder().workers(workers)
                    .jvmArgs("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m", "-Xmn64m", "-XX:CICompilerCount=2").build()) {
                long ready = System.nanoTime();
                List<Long> out = pool.map(FirstResultsProbe::square, xs, 1);
                long first = System.nanoTime();
                if (!out.equals(expected)) {
                    throw new IllegalStateException("map(square) returned " + out);
                }
                System.out.printf("round %d, %d workers: ready %.1f ms, first results %.1f ms (%.1f after ready)%n",
                        round, workers, (ready - t0) / 1e6, (first - t0) / 1e6, (first - ready) / 1e6);
            }
        }
    }
}
