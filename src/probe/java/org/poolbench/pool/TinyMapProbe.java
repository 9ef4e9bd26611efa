package org.poolbench.pool;

import java.util.List;
import java.util.stream.LongStream;

/**
 * A process pool of 2 mapping tiny tasks (about 50 multiply-adds each) one per message ({@code chunksize} 1) for
 * a given number of seconds: its per-task time is the pool's own cost per message, which is what decides where a
 * stream of small tasks starts to pay (docs/POOL.md, "Transports"). Run with {@code -Dpoolbench.pool.transport=...};
 * add {@code perf record -g} and {@code -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit} to see where the time
 * goes. Not a test: run by hand,
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * java -Dpoolbench.pool.transport=shared-memory -cp target/benchmarks.jar:target/test-classes \
 *     org.poolbench.pool.TinyMapProbe 5
 * </pre>
 */
final class TinyMapProbe {
    private static final int TASKS = 8_192;

    private TinyMapProbe() {
    }

    static long tiny(long x) {
        long h = x;
        for (int i = 0; i < 50; i++) {
            h = h * 31 + i;
        }
        return h;
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        List<Long> xs = LongStream.range(0, TASKS).boxed().toList();
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            int jobs = 0;
            while (System.nanoTime() < end) {
                List<Long> out = pool.map(TinyMapProbe::tiny, xs, 1);
                if (out.get(TASKS - 1) != tiny(TASKS - 1)) {
                    throw new IllegalStateException("map(tiny) returned a wrong result");
                }
                jobs++;
            }
            double micros = (System.nanoTime() - start) / 1e3 / ((double) jobs * TASKS);
            System.out.printf("transport %s: %d jobs of %d tasks, %.1f us per task%n", pool.transport().label(), jobs,
                    TASKS, micros);
        }
    }
}
