package org.poolbench.pool;

import java.util.List;
import java.util.stream.LongStream;

/**
 * A user's program that maps 10^6 boxed squares five times and then runs four rounds of 10 000 {@code apply}s, each
 * round's median printed with how many results the caller read from shared memory itself (docs/POOL.md,
 * "Transports": what {@code apply}'s spin costs while the other vCPU is busy; try
 * {@code -Dpoolbench.pool.directSpinMicros=0} or {@code 30}). Not a test: run by hand,
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * jar cf /tmp/aam.jar -C target/test-classes org/poolbench/pool/ApplyAfterMapProbe.class \
 *     -C target/test-classes org/poolbench/pool/RoundTripProbe.class
 * java -Dpoolbench.pool.transport=shared-memory -cp target/benchmarks.jar:/tmp/aam.jar org.poolbench.pool.ApplyAfterMapProbe
 * </pre>
 */
final class ApplyAfterMapProbe {
    private ApplyAfterMapProbe() {
    }

    static long square(long x) {
        return x * x;
    }

    public static void main(String[] args) {
        List<Long> xs = LongStream.range(0, 1_000_000).boxed().toList();
        try (ProcessPool pool = ProcessPool.builder().build()) {
            for (int r = 0; r < 5; r++) {
                if (pool.map(ApplyAfterMapProbe::square, xs).get(999_999) != 999_999L * 999_999L) {
                    throw new IllegalStateException("map(square) returned a wrong result");
                }
            }
            for (int round = 0; round < 4; round++) {
                long before = pool.resultsReadByCallers();
                long[] t = RoundTripProbe.applyNanos(pool, 10_000);
                System.out.printf("round %d: median %.1f us, %d of %d read by the caller (transport %s)%n", round,
                        t[t.length / 2] / 1e3, pool.resultsReadByCallers() - before, t.length, pool.transport().label());
            }
        }
    }
}
