package org.poolbench.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.poolbench.workload.Factorial;

/**
 * Which k CPUs a k-core iteration runs on, when k is fewer than the run has: the k fastest of the moment.
 *
 * <p>Why: the vCPUs of a virtual machine are not alike. Each is a thread on a host core that it shares (an SMT sibling,
 * a time slice) with other guests, so for minutes at a time one vCPU can run the factorial job 1.3–1.6× slower than
 * the other, with no steal time reported ({@code VcpuProbe}; docs/METHODOLOGY.md, "Which CPUs k cores are"). A single
 * thread given every CPU ends up on the fast one (the sequential points at full cores run at the fast vCPU's speed
 * throughout such a stretch), so a 1-core baseline on any other CPU, or on each in turn, is slower than the same code
 * at full cores, and every speedup over it is inflated. Speedup on unequal processors is defined against the fastest
 * one; so a k-core iteration runs on the k CPUs that a probe found fastest just before it: each CPU of the run in
 * turn runs a small factorial ({@link #PROBE_N}!, the workload's own BigInteger arithmetic and allocation), and the
 * k quickest win. At k = n every CPU is used and nothing is probed.
 *
 * <p>The probe and the move happen in the benchmark's iteration set-up, outside the timed region; the move takes
 * this JVM's threads and every process it started (a process pool's workers) together. The run's CPUs come from
 * {@value #PROPERTY}, which the launcher sets (a JMH fork pinned to k CPUs cannot see the others); without it, this
 * JVM's mask at start.
 */
public final class FastestCpus {

    /** System property with the run's CPUs as a Linux CPU list ({@code 0-3,8}); the launcher sets it. */
    public static final String PROPERTY = "poolbench.runCpus";

    /** The probe's factorial: about 5 ms on a 2020s core, long enough to feel a slow vCPU, short next to a job. */
    static final int PROBE_N = 20_000;

    private final List<Integer> cpus;
    private final ToLongFunction<Integer> probe;
    private long[] lastNanos = new long[0];
    private int calls;

    /**
     * Choices among {@code cpus}, the run's CPUs; {@code probe} runs the probe on one CPU and returns its time in
     * nanoseconds (tests give their own).
     */
    FastestCpus(List<Integer> cpus, ToLongFunction<Integer> probe) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("no CPUs to choose from");
        }
        this.cpus = List.copyOf(cpus);
        this.probe = probe;
    }

    /** Choices among the run's CPUs ({@value #PROPERTY}, else this JVM's mask), by the factorial probe. */
    public static FastestCpus ofRun() {
        String list = System.getProperty(PROPERTY, "");
        return new FastestCpus(list.isBlank() ? Affinity.current() : Affinity.parseList(list), FastestCpus::probe);
    }

    /** How many CPUs the run has. */
    public int size() {
        return cpus.size();
    }

    /**
     * The {@code k} CPUs whose probe was quickest just now, ascending; every CPU at {@code k = n}, unprobed. The CPUs
     * are probed in turn, forward on one call and backward on the next, so none is always first.
     */
    public List<Integer> fastest(int k) {
        if (k <= 0 || k > cpus.size()) {
            throw new IllegalArgumentException(k + " of " + cpus.size() + " CPUs");
        }
        if (k == cpus.size()) {
            return cpus;
        }
        int n = cpus.size();
        long[] nanos = new long[n];
        boolean backward = calls++ % 2 == 1;
        for (int j = 0; j < n; j++) {
            int i = backward ? n - 1 - j : j;
            nanos[i] = probe.applyAsLong(cpus.get(i));
        }
        lastNanos = nanos;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> nanos[i]));
        List<Integer> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            out.add(cpus.get(order.get(j)));
        }
        out.sort(null);
        return out;
    }

    /** Moves this JVM and every process it started to the {@code k} fastest CPUs; returns them. */
    public List<Integer> moveTo(int k) {
        List<Integer> chosen = fastest(k);
        Affinity.restrictTree(chosen);
        return chosen;
    }

    /** The last probe's times, as {@code "cpu 0 4.9 ms, cpu 1 7.3 ms"}; empty before the first. */
    public String lastProbe() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < lastNanos.length; i++) {
            parts.add(String.format("cpu %d %.1f ms", cpus.get(i), lastNanos[i] / 1e6));
        }
        return String.join(", ", parts);
    }

    private static volatile long sink;

    /** This JVM on {@code cpu} alone, {@link #PROBE_N}! twice; the second one's time (the first refills caches). */
    private static long probe(int cpu) {
        Affinity.restrict(List.of(cpu));
        long best = 0;
        for (int r = 0; r < 2; r++) {
            long t0 = System.nanoTime();
            sink ^= Factorial.of(PROBE_N).bitLength();
            best = System.nanoTime() - t0;
        }
        return best;
    }
}
