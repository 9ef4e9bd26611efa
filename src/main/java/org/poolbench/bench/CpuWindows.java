package org.poolbench.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which k CPUs a k-core iteration runs on, when k is fewer than the run has: a window that rotates over all of them.
 *
 * <p>Why: on a virtual machine the vCPUs are not alike. Each is a thread on a host core whose SMT sibling or time
 * slice it shares with other guests, so one vCPU can run the same arithmetic 1.3–1.6× slower than the other for
 * seconds at a time, with no steal time reported ({@code VcpuProbe}; docs/METHODOLOGY.md, "Which CPUs k cores
 * are"). A 1-core point pinned to the first CPU measures that CPU's phases, while a 2-core point averages both, and
 * every speedup over "sequential at 1 core" carries the difference. So the {@code i}-th iteration of a k-core point
 * runs on CPUs {@code C[(i + j) mod n]}, {@code j < k}, of the run's CPUs {@code C} (n of them): over its iterations
 * every CPU serves every k-core point equally often. At k = n the window is every CPU.
 *
 * <p>The window is applied to this JVM's threads and to every process it started (a process pool's workers), outside
 * the timed region, in the benchmark's iteration set-up. The run's CPUs come from {@value #PROPERTY}, which the launcher
 * sets (a JMH fork pinned to k CPUs cannot see the others); without it, this JVM's mask at start.
 */
public final class CpuWindows {

    /** System property with the run's CPUs as a Linux CPU list ({@code 0-3,8}); the launcher sets it. */
    public static final String PROPERTY = "poolbench.runCpus";

    private final List<Integer> cpus;
    private final Map<Object, Integer> seen = new HashMap<>();

    /** Windows over {@code cpus}, the run's CPUs in their order. */
    public CpuWindows(List<Integer> cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("no CPUs to rotate over");
        }
        this.cpus = List.copyOf(cpus);
    }

    /** Windows over the run's CPUs ({@value #PROPERTY}, else this JVM's mask). */
    public static CpuWindows ofRun() {
        String list = System.getProperty(PROPERTY, "");
        return new CpuWindows(list.isBlank() ? Affinity.current() : Affinity.parseList(list));
    }

    /** How many CPUs the run has. */
    public int size() {
        return cpus.size();
    }

    /** The {@code k} CPUs of window {@code i}: {@code C[(i + j) mod n]} for {@code j < k}, ascending. */
    public List<Integer> window(int k, int i) {
        if (k <= 0 || k > cpus.size() || i < 0) {
            throw new IllegalArgumentException("window " + i + " of " + k + " of " + cpus.size() + " CPUs");
        }
        List<Integer> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            out.add(cpus.get((i + j) % cpus.size()));
        }
        out.sort(null);
        return out;
    }

    /**
     * The window of the next iteration of the point {@code key} at {@code k} cores: each key counts its own
     * iterations, so points taking turns each visit every window equally often.
     */
    public List<Integer> next(Object key, int k) {
        int i = seen.merge(key, 1, Integer::sum) - 1;
        return window(k, i);
    }

    /** Moves this JVM and every process it started to the next window of {@code key}; returns that window. */
    public List<Integer> moveTo(Object key, int k) {
        List<Integer> w = next(key, k);
        Affinity.restrictTree(w);
        return w;
    }
}
