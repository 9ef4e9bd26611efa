package org.poolbench.bench;

import java.util.Arrays;

/**
 * The machine's speed at one moment, two ways: how long one thread takes for a fixed piece of pure arithmetic (the
 * {@link CeilingBenchmark} chains, which stay in the core), and for copying an array much larger than any cache
 * (which goes to memory).
 *
 * <p>Why both: on a shared or virtual machine the two drift differently. Memory bandwidth, shared with other guests,
 * moves in phases of seconds and takes allocating and big-number work with it; the arithmetic moves less, and over
 * minutes (docs/METHODOLOGY.md, "Blocking"). Two runs of the same code differ by such drift. The process that
 * launches the JMH invocations takes a reading before and after each one, while no benchmark runs; {@code noise.csv}
 * keeps them, and {@code compare} takes their spread as the smallest change it can tell from the machine.
 *
 * <p>A reading is the median of {@link #REPEATS} timings, so one preemption does not move it. The arithmetic's
 * checksum and the copy's contents are checked, so work the JIT removed cannot look fast.
 */
public final class MachineProbe {

    /** Chains per arithmetic timing: about 20 ms on one 2020s core. */
    static final int CHAINS = 512;
    /** Longs per copied array: 64 MiB, beyond the last-level cache of any current CPU. */
    static final int COPY_LONGS = 8 << 20;
    /** Timings per reading; the reading is their median. */
    static final int REPEATS = 5;

    private static final long EXPECTED = checksum();
    private static long[] from;
    private static long[] to;

    /**
     * One reading.
     *
     * @param spinMs the arithmetic's time, ms
     * @param copyMs the copy's time, ms
     */
    public record Reading(double spinMs, double copyMs) {
    }

    private MachineProbe() {
    }

    /** Takes one reading; the first call also warms the code up (compiled, as in JMH) and allocates the arrays. */
    public static synchronized Reading now() {
        if (from == null) {
            from = new long[COPY_LONGS];
            to = new long[COPY_LONGS];
            for (int i = 0; i < COPY_LONGS; i++) {
                from[i] = i * 0x9E3779B97F4A7C15L;
            }
            for (int i = 0; i < 4 * REPEATS; i++) {
                spin();
                copy(i);
            }
        }
        double[] spin = new double[REPEATS];
        double[] copy = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            spin[i] = spin();
            copy[i] = copy(i);
        }
        return new Reading(median(spin), median(copy));
    }

    private static double spin() {
        long start = System.nanoTime();
        long sum = checksum();
        double ms = (System.nanoTime() - start) / 1e6;
        if (sum != EXPECTED) {
            throw new IllegalStateException("machine probe: spin checksum " + sum + ", expected " + EXPECTED);
        }
        return ms;
    }

    private static double copy(int round) {
        from[round % COPY_LONGS] ^= 1; // a fresh value each time, so the check below sees this copy, not a stale one
        long start = System.nanoTime();
        System.arraycopy(from, 0, to, 0, COPY_LONGS);
        double ms = (System.nanoTime() - start) / 1e6;
        int probe = round % COPY_LONGS;
        if (to[probe] != from[probe] || to[COPY_LONGS - 1] != from[COPY_LONGS - 1]) {
            throw new IllegalStateException("machine probe: the copy is incomplete at " + probe);
        }
        return ms;
    }

    private static long checksum() {
        long x = 0;
        for (int c = 0; c < CHAINS; c++) {
            x ^= CeilingBenchmark.chain(c);
        }
        return x;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
