package org.poolbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.poolbench.backend.Backends;

/**
 * The JVM options of every JVM a run measures: the JMH benchmark JVMs (forks), the worker JVMs their process backends
 * start, and the resource probes. Identical at every core count, so that "k cores" changes the cores and nothing else.
 *
 * <p>Left to itself, HotSpot picks its collector, heap and compiler threads from the CPUs it sees: on one CPU the
 * Serial collector and on two or more G1 ("server-class machine"), heap sizes from memory, compiler threads from
 * {@code log2(cpus)}. A run pinned to 1 core and one pinned to 2 cores would then measure two different JVMs. The
 * fixed settings (docs/METHODOLOGY.md says why each):
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: the collector ergonomics picks on one CPU, and the one worker JVMs have always
 *   used; it has no GC threads whose number could follow the CPU count.</li>
 *   <li>{@code -Xms = -Xmx} (1 GiB for a benchmark JVM, 256 MiB for a worker): a heap that never resizes, with a
 *   fixed young generation, so collections happen at the same points of the same job at every k.</li>
 *   <li>{@code -Xmn64m} in both: the same young generation wherever a task runs, and one small enough that the
 *   allocation-heavy factorial job runs at the same speed in it whether one thread or several share it. On this VM
 *   the job's speed fell with the young generation per allocating thread above about 64 MB (sequential at 1 core:
 *   273 ms at 64 MB, 304 ms at 128 MB, 328 ms at 341 MB, the default of a 1 GiB heap), so a 341 MB parent against
 *   85 MB workers made a one-worker pool 1.23× faster than sequential, and a shared 128 MB one made two threads
 *   1.97× faster (docs/METHODOLOGY.md).</li>
 *   <li>{@code -Xmn341m} instead for a benchmark JVM that measures squares ({@link #YOUNG_BY_WORKLOAD}): its job keeps
 *   10^6 boxed results alive while it runs, so every collection of a 64 MB young generation promoted them, the old
 *   generation filled every 2 s and a full collection of 250 ms fell into the iterations (sequential at 2 cores over
 *   1 core read 1.21, interval 1.01-1.45); at 341 MB it read 0.99. Its workers keep 64 MB: they only pass chunks
 *   through. A run's invocations measure one workload each wherever the setting differs.</li>
 *   <li>{@code -XX:CICompilerCount=2}: one C1 and one C2 thread, what ergonomics gives 1 or 2 CPUs, at every k.</li>
 *   <li>{@code -XX:-UseTransparentHugePages} for workers, on Linux: the pool asks for huge pages by default where the
 *   kernel offers them (docs/POOL.md, "Start-up"), the benchmark JVMs do not, and a heap on 2 MiB pages takes fewer
 *   TLB misses; off, a task runs on the same kind of memory in every JVM.</li>
 * </ul>
 * The processor count itself is not faked ({@code -XX:ActiveProcessorCount}): the benchmarks check {@code cores}
 * against {@link Runtime#availableProcessors()}, and thread pools, the virtual-thread scheduler and the common
 * fork-join pool must see the cores they were given. Cores are restricted by taskset.
 *
 * <p>With {@code --jvm-defaults} the benchmark JVMs get none of these (the JVM's own ergonomics, as a user's
 * {@code java -jar} would), and worker JVMs only the pool's own start-up flags.
 */
final class JvmSettings {

    /** Options of every benchmark JVM (JMH fork) and resource probe. */
    static final List<String> BENCHMARK = List.of(
            "-XX:+UseSerialGC", "-Xms1g", "-Xmx1g", "-Xmn64m", "-XX:CICompilerCount=2");

    /** Options of every worker JVM, after the pool's own start-up flags. */
    static final List<String> WORKER = worker(Files.exists(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")));

    /**
     * {@link #WORKER} on a kernel with transparent huge pages or without; only a Linux JVM knows the flag, and only
     * such a kernel has the file the pool looks at before it asks for them.
     */
    static List<String> worker(boolean hugePagesKernel) {
        List<String> worker = new ArrayList<>(List.of(
                "-XX:+UseSerialGC", "-Xms256m", "-Xmx256m", "-Xmn64m", "-XX:CICompilerCount=2"));
        if (hugePagesKernel) {
            worker.add("-XX:-UseTransparentHugePages");
        }
        return List.copyOf(worker);
    }

    /** A benchmark JVM's young generation for a workload, where {@link #BENCHMARK}'s 64 MB does not suit it. */
    static final Map<String, String> YOUNG_BY_WORKLOAD = Map.of("squares", "-Xmn341m");

    private final boolean defaults;
    private final List<String> workerExtra;

    /**
     * @param defaults true for the JVM's own ergonomics ({@code --jvm-defaults})
     * @param workerExtra options appended to every worker JVM's (what the user appends to the benchmark JVMs with
     *                    JMH's {@code -jvmArgsAppend}, so a comparison of JVM flags changes every JVM that runs a task)
     */
    JvmSettings(boolean defaults, List<String> workerExtra) {
        this.defaults = defaults;
        this.workerExtra = List.copyOf(workerExtra);
    }

    /** From the JMH arguments the user passed after {@code --}: the values of {@code -jvmArgsAppend} go to workers. */
    static JvmSettings of(boolean defaults, List<String> jmhArgs) {
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < jmhArgs.size(); i++) {
            String a = jmhArgs.get(i);
            if (a.equals("-jvmArgsAppend") && i + 1 < jmhArgs.size()) {
                for (String option : jmhArgs.get(++i).trim().split("\\s+")) {
                    if (option.contains(",")) {
                        throw new UsageError("-jvmArgsAppend: '" + option + "' contains a comma, which cannot be "
                                + "handed on to worker JVMs; valid: options without commas");
                    }
                    if (!option.isEmpty()) {
                        extra.add(option);
                    }
                }
            }
        }
        return new JvmSettings(defaults, extra);
    }

    boolean defaults() {
        return defaults;
    }

    /** The options of a benchmark JVM: the fixed ones and the property that hands the worker options on. */
    List<String> benchmarkJvmArgs() {
        return benchmarkJvmArgs(List.of());
    }

    /**
     * The options of a benchmark JVM measuring {@code workloads}: a single workload's own young generation
     * ({@link #YOUNG_BY_WORKLOAD}) replaces the fixed one; several workloads in one JVM, or none, get the fixed one.
     */
    List<String> benchmarkJvmArgs(List<String> workloads) {
        List<String> args = new ArrayList<>();
        if (!defaults) {
            String young = workloads.size() == 1 ? YOUNG_BY_WORKLOAD.get(workloads.get(0)) : null;
            for (String a : BENCHMARK) {
                args.add(young != null && a.startsWith("-Xmn") ? young : a);
            }
        }
        List<String> workers = workerJvmArgs();
        if (!workers.isEmpty()) {
            args.add("-D" + Backends.WORKER_JVM_ARGS + "=" + String.join(",", workers));
        }
        return args;
    }

    /** The options every worker JVM gets on top of the pool's own start-up flags. */
    List<String> workerJvmArgs() {
        List<String> args = new ArrayList<>();
        if (!defaults) {
            args.addAll(WORKER);
        }
        args.addAll(workerExtra);
        return args;
    }

    /** What environment.csv records: {@code jvm_defaults}, {@code jvm_settings}, {@code worker_jvm_settings}. */
    void record(Map<String, String> env) {
        env.put("jvm_defaults", defaults ? "on" : "off");
        StringBuilder own = new StringBuilder();
        new TreeMap<>(YOUNG_BY_WORKLOAD).forEach((w, o) -> own.append("; ").append(w).append(": ").append(o));
        env.put("jvm_settings", defaults ? "JVM ergonomics" : String.join(" ", BENCHMARK) + own);
        env.put("worker_jvm_settings", String.join(" ", workerJvmArgs()).isEmpty() ? "pool start-up flags only"
                : "pool start-up flags + " + String.join(" ", workerJvmArgs()));
    }
}
