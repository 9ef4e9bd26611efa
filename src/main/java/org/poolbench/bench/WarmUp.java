package org.poolbench.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warm-up in a trial's set-up, before JMH's own warm-up iterations.
 *
 * <p>A process pool is the slow one to warm: its workers are JVMs that compile the task themselves, and the parent
 * compiles its side of the protocol, each at its own pace. In quick runs the process pool's
 * granularity points kept getting faster for about three seconds of running (a 2,048-task job went from 130 to 60 ms
 * per job across the measured iterations; python/validity_check.py lists such drifting points), while threads and
 * sequential code were flat after one job. So a backend with worker processes runs its job for at least
 * {@link #PROCESS_NANOS} here; the others run it {@code minRuns} times, as before.
 */
public final class WarmUp {
    /** How long a backend with worker processes runs its job before measurement; {@code -Dpoolbench.warmProcessMillis}. */
    static final long PROCESS_NANOS = Long.getLong("poolbench.warmProcessMillis", 3_000) * 1_000_000;

    private WarmUp() {
    }

    /**
     * Seconds of set-up warm-up a trial of {@code family} with {@code backend} on {@code workload} runs before JMH's
     * own warm-up (for the run's estimate; mirrors the set-ups of ScalingBenchmark, GranularityBenchmark and the
     * others, which call {@link #run}).
     */
    public static double setUpSeconds(String family, String workload, String backend) {
        boolean factorial = "factorial".equals(workload);
        if ("granularity".equals(family) && factorial) {
            return "sequential".equals(backend) ? 0 : PROCESS_FACTORIAL_NANOS / 1e9;
        }
        if (!isPool(backend)) {
            return 0;
        }
        return "scaling".equals(family) && factorial ? PROCESS_FACTORIAL_NANOS / 1e9 : PROCESS_NANOS / 1e9;
    }

    /**
     * How long a process pool runs big-factorial tasks before measurement; {@code -Dpoolbench.warmFactorialMillis}.
     * Each worker C2-compiles BigInteger's Karatsuba and Toom-Cook multiplications itself, and the largest of those
     * methods is called about once per task: in quick runs its compilation began some 7 s into a worker's
     * life and took 2.2 s (JFR in the workers), and 2000! jobs went from 120 to 45 ms meanwhile. With 10 s the
     * measured iterations are flat (docs/POOL.md, "Figures").
     */
    static final long PROCESS_FACTORIAL_NANOS = Long.getLong("poolbench.warmFactorialMillis", 10_000) * 1_000_000;

    /** Runs {@code job} {@code minRuns} times, and for a process pool (either transport) also until {@link #PROCESS_NANOS}. */
    static int run(String backend, int minRuns, Runnable job) {
        return run(backend, minRuns, PROCESS_NANOS, job);
    }

    /** Runs {@code job} {@code minRuns} times, and for a process pool (either transport) also for {@code processNanos}. */
    static int run(String backend, int minRuns, long processNanos, Runnable job) {
        return runFor(minRuns, isPool(backend) ? processNanos : 0, job);
    }

    /** True for the process pool over either transport ({@code process-pool}, {@code process-pool-shm}). */
    static boolean isPool(String backend) {
        return "process-pool".equals(backend) || "process-pool-shm".equals(backend);
    }

    /**
     * Collections this JVM must have run before measurement ({@link #untilCollected}): the first young collections
     * copy survivors into heap pages nobody has touched, and on a VM whose page faults cost about 12.6 µs each they
     * are slow. Squares' benchmark JVM (1 GB, a 341 MB young generation) paused 211 and 220 ms for its first two, 17
     * ms for the third, then 4-9 ms (-Xlog:gc); in a smoke run the second fell into sequential's first measured
     * iteration (54 ms a job against 4), and its speedups read 5.5x on 2 cores.
     */
    static final int FIRST_COLLECTIONS = 3;
    /** The most {@link #untilCollected} runs a job that allocates little. */
    static final long COLLECT_NANOS = 3_000_000_000L;

    /**
     * Runs {@code job} until this JVM's collectors have run {@code collections} times in all since it started, or
     * for {@code maxNanos}; returns the runs.
     */
    static int untilCollected(int collections, long maxNanos, Runnable job) {
        long start = System.nanoTime();
        int runs = 0;
        while (collections() < collections && System.nanoTime() - start < maxNanos) {
            job.run();
            runs++;
        }
        return runs;
    }

    /** The collections this JVM's collectors have run since it started. */
    static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** Runs {@code job} at least {@code minRuns} times and for at least {@code minNanos}. */
    static int runFor(int minRuns, long minNanos, Runnable job) {
        long start = System.nanoTime();
        int runs = 0;
        while (runs < minRuns || System.nanoTime() - start < minNanos) {
            job.run();
            runs++;
        }
        return runs;
    }
}
