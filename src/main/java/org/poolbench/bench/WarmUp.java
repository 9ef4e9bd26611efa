package org.poolbench.bench;

/**
 * Warm-up in a trial's set-up, before JMH's own warm-up iterations.
 *
 * <p>A process pool is the slow one to warm: its workers are JVMs that compile the task themselves, and the parent
 * compiles its side of the protocol, each at its own pace. In the quick runs of 2026-11-25 the process pool's
 * granularity points kept getting faster for about three seconds of running (a 2,048-task job went from 130 to 60 ms
 * per job across the measured iterations; python/validity_check.py lists such drifting points), while threads and
 * sequential code were flat after one job. So a backend with worker processes runs its job for at least
 * {@link #PROCESS_NANOS} here; the others run it {@code minRuns} times, as before.
 */
final class WarmUp {
    /** How long a backend with worker processes runs its job before measurement; {@code -Dpoolbench.warmProcessMillis}. */
    static final long PROCESS_NANOS = Long.getLong("poolbench.warmProcessMillis", 3_000) * 1_000_000;

    private WarmUp() {
    }

    /** Runs {@code job} {@code minRuns} times, and for a process-pool backend also until {@link #PROCESS_NANOS}. */
    static int run(String backend, int minRuns, Runnable job) {
        long minNanos = "process-pool".equals(backend) ? PROCESS_NANOS : 0;
        long start = System.nanoTime();
        int runs = 0;
        while (runs < minRuns || System.nanoTime() - start < minNanos) {
            job.run();
            runs++;
        }
        return runs;
    }
}
