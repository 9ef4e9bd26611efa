package org.poolbench.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.poolbench.backend.Backends;

/**
 * Which k CPUs a k-core iteration runs on, when k is fewer than the run has: the k fastest of the moment.
 *
 * <p>Why: the vCPUs of a virtual machine are not alike. Each is a thread on a host core that it shares (an SMT sibling,
 * a time slice) with other guests, so for minutes at a time one vCPU can run the factorial job 1.3–1.6× slower than
 * the other, with no steal time reported ({@code VcpuProbe}; docs/METHODOLOGY.md, "Which CPUs k cores are"). A single
 * thread given every CPU ends up on the fast one (the sequential points at full cores run at the fast vCPU's speed
 * throughout such a stretch), so a 1-core baseline on any other CPU, or on each in turn, is slower than the same code
 * at full cores, and every speedup over it is inflated. Speedup on unequal processors is defined against the fastest
 * one; so a k-core iteration runs on the k CPUs that a probe found fastest just before it: this JVM on each CPU of
 * the run in turn copies 16 MiB and spins the ceiling's chains (about 4 ms, memory and arithmetic), and the k
 * quickest win. At k = n every CPU is used and nothing is probed.
 *
 * <p>The probe and the move happen in the benchmark's iteration set-up, outside the timed region; the move takes
 * this JVM's threads and every process it started (a process pool's workers) together. The run's CPUs come from
 * {@value #PROPERTY}, which the launcher sets (a JMH fork pinned to k CPUs cannot see the others); without it, this
 * JVM's mask at start.
 */
public final class FastestCpus {

    /** System property with the run's CPUs as a Linux CPU list ({@code 0-3,8}); the launcher sets it. */
    public static final String PROPERTY = "poolbench.runCpus";

    /** The probe's memory half: a copy of this many longs (16 MiB), about 2 ms, past every cache a vCPU shares. */
    static final int PROBE_LONGS = 2 << 20;

    /** The probe's arithmetic half: this many of the ceiling's xorshift chains, about 2 ms. */
    static final int PROBE_CHAINS = 40;

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

    /**
     * Choices among the run's CPUs ({@value #PROPERTY}, else this JVM's mask), by the copy-and-spin probe, run enough
     * first to be compiled, and the compiler then left to finish: a compilation that fell into the measured
     * iterations would run on the compiler thread that shares a 1-core fork's only CPU (a factorial probe's Toom-Cook
     * multiplication reached C2 only after JMH's warm-up and doubled the ceiling's first three 1-core iterations).
     */
    public static FastestCpus ofRun() {
        String list = System.getProperty(PROPERTY, "");
        FastestCpus f = new FastestCpus(list.isBlank() ? Affinity.current() : Affinity.parseList(list),
                FastestCpus::probe);
        if (f.size() > 1) {
            for (int i = 0; i < WARM_PROBES; i++) {
                probeOnce();
            }
            awaitCompilerIdle();
        }
        return f;
    }

    /** Probe rounds before the first choice: about 0.1 s. */
    static final int WARM_PROBES = 25;

    /**
     * Waits (at most 10 s) until the JIT has compiled nothing for 300 ms: the compilations the warm probes queued run
     * on a compiler thread that shares a 1-core fork's only CPU with the first measured iterations.
     */
    static void awaitCompilerIdle() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        long last = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            if (now == last) {
                return;
            }
            last = now;
        }
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

    /** Moves this JVM, every thread of it and every process it started back to every CPU of the run. */
    public void moveToAll() {
        Affinity.restrictTree(cpus);
    }

    /**
     * For sequential code at every CPU ({@code k = n}): this JVM on every CPU; the calling thread, the sequential
     * backend's thread and the JVM's {@code VM Thread} on the fastest one. A lone thread given every CPU runs wherever
     * the scheduler leaves it, the slow vCPU as often as the fast. The VM Thread runs only stop-the-world work (the
     * Serial collector's collections among it) while the program's one thread waits, so a second CPU cannot overlap
     * it with the program: left free, it ran on the other vCPU and cost sequential squares, a collection every 45 ms,
     * 7-15 % (docs/METHODOLOGY.md, "Sequential at one core against two"). The threads that can run beside the program
     * (compilers, the JVM's other service threads) keep every CPU, so "sequential at n cores against 1 core" compares
     * what the extra cores can change, on the same speed of CPU. Returns the CPU.
     */
    public int moveAllButPinThisThread() {
        int cpu = fastest(1).get(0);
        Affinity.restrictTree(cpus);
        Affinity.restrictThisThread(cpu);
        Affinity.restrictThreadsNamed(WITH_THIS_THREAD, cpu);
        if (PIN_WITH_THIS_THREAD != null) {
            Affinity.restrictThreadsNamed(PIN_WITH_THIS_THREAD, cpu);
        }
        return cpu;
    }

    /**
     * A diagnostic, off by default: {@code -Dpoolbench.pinWithSequential=REGEX} pins the JVM threads whose names
     * match beside the benchmark thread in {@link #moveAllButPinThisThread}, to see which of them cost sequential
     * code at full cores (docs/METHODOLOGY.md, "Sequential at one core against two").
     */
    /** The threads pinned beside the benchmark thread at full cores: the sequential backend's and the VM Thread. */
    static final java.util.regex.Pattern WITH_THIS_THREAD = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(Backends.SEQUENTIAL_THREAD) + "|VM Thread");

    private static final java.util.regex.Pattern PIN_WITH_THIS_THREAD =
            System.getProperty("poolbench.pinWithSequential", "").isEmpty() ? null
                    : java.util.regex.Pattern.compile(System.getProperty("poolbench.pinWithSequential"));

    /** The last probe's times, as {@code "cpu 0 4.9 ms, cpu 1 7.3 ms"}; empty before the first. */
    public String lastProbe() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < lastNanos.length; i++) {
            parts.add(String.format("cpu %d %.1f ms", cpus.get(i), lastNanos[i] / 1e6));
        }
        return String.join(", ", parts);
    }

    private static volatile long sink;
    private static long[] from;
    private static long[] to;

    /** This JVM on {@code cpu} alone, two probe rounds; the second one's time (the first refills caches). */
    private static long probe(int cpu) {
        Affinity.restrict(List.of(cpu));
        probeOnce();
        return probeOnce();
    }

    /**
     * One round: copy 16 MiB, then {@link #PROBE_CHAINS} of the ceiling's chains; its time in nanoseconds. Both halves,
     * since a slow vCPU has been slow in memory and in arithmetic by different amounts (docs/METHODOLOGY.md). Neither
     * has code that compiles late: {@code System.arraycopy} is an intrinsic, the chain a small loop.
     */
    static synchronized long probeOnce() {
        if (from == null) {
            from = new long[PROBE_LONGS];
            to = new long[PROBE_LONGS];
            for (int i = 0; i < PROBE_LONGS; i++) {
                from[i] = i * 0x9E3779B97F4A7C15L;
            }
        }
        long t0 = System.nanoTime();
        System.arraycopy(from, 0, to, 0, PROBE_LONGS);
        long x = to[PROBE_LONGS - 1];
        for (int c = 0; c < PROBE_CHAINS; c++) {
            x ^= CeilingBenchmark.chain(c);
        }
        long t = System.nanoTime() - t0;
        sink ^= x;
        return t;
    }
}
