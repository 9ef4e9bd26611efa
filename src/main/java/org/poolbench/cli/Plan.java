package org.poolbench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poolbench.results.ResultRow;

/**
 * What a run measures: the JMH invocations of each family, the resource probes, and the points left out by design
 * (recorded as {@code skipped} rows, so a reader sees them missing on purpose).
 *
 * <p>Scaling pins each invocation to k cores and uses k workers (as many workers as cores), and at the machine's
 * full core count also 2k workers (for thread-pool, virtual-threads and process-pool in {@code quick}; 2k and 4k for
 * every backend in {@code full}), so oversubscription shows. {@code sequential} runs with
 * one worker at each core count: its flat line checks that pinning changes nothing but the cores. The other families
 * run at the machine's full core count.
 */
final class Plan {

    /** The families a run can measure, in the order they run. */
    static final List<String> FAMILIES = List.of("scaling", "creation", "granularity", "io", "overhead", "resource",
            "cluster");

    /** The most worker JVMs the io family starts: each is a whole JVM (tens of MB), and 2 cores cannot use more. */
    static final int IO_PROCESS_CAP = 16;

    final List<JmhInvocation> invocations = new ArrayList<>();
    /** Resource probes: {workload, backend, workers}. */
    final List<List<String>> probes = new ArrayList<>();
    /** Points left out by design; {@code runId} is filled in by the run. */
    final List<ResultRow> skipped = new ArrayList<>();

    private Plan() {
    }

    /**
     * @param cpus the machine's CPUs (the top of every curve)
     * @param coreCounts core counts for the scaling family
     * @param workersOverride worker counts to use at every core count instead of k (and 2k, 4k), or empty
     */
    static Plan build(Profile profile, List<String> families, List<String> workloads, List<String> backends,
            int cpus, List<Integer> coreCounts, List<Integer> workersOverride) {
        Plan plan = new Plan();
        List<String> requested = backends;
        backends = without(backends, "cluster"); // the cluster backend is measured by its own family (ClusterPlan)
        int top = coreCounts.stream().mapToInt(Integer::intValue).max().orElse(cpus);
        if (families.contains("scaling")) {
            plan.scaling(profile, workloads, backends, coreCounts, workersOverride);
        }
        if (families.contains("creation")) {
            List<Integer> sizes = workersOverride.isEmpty()
                    ? (profile == Profile.SMOKE || top == 1 ? List.of(top) : List.of(1, top)) : workersOverride;
            // six methods; only the two pool methods take the workers parameter
            plan.invocations.add(new JmhInvocation("creation", "\\.CreationBenchmark\\.", top,
                    params("cores", List.of(top), "workers", sizes), 4 / sizes.size() + 2));
        }
        if (families.contains("granularity")) {
            plan.granularity(profile, workloads, backends, top, workersOverride);
        }
        if (families.contains("io") && workloads.contains("download")) {
            plan.io(profile, backends, top);
        }
        if (families.contains("overhead") && backends.contains("process-pool")) {
            if (profile == Profile.SMOKE) { // the two round trips only: start-up is in creation, map in scaling
                plan.invocations.add(new JmhInvocation("overhead", "\\.OverheadBenchmark\\.(roundTrip|pipeFloor)$",
                        top, params()));
            } else {
                List<Integer> sizes = top == 1 ? List.of(1) : List.of(1, top);
                plan.invocations.add(new JmhInvocation("overhead", "\\.OverheadBenchmark\\.", top,
                        params("workers", sizes), (5 + 2 * sizes.size() - 1) / sizes.size())); // 5 methods + poolStartup
            }
        }
        if (families.contains("resource")) {
            String workload = workloads.contains("factorial") ? "factorial" : workloads.get(0);
            for (String b : backends) {
                if (profile != Profile.SMOKE || List.of("sequential", "thread-pool", "process-pool").contains(b)) {
                    plan.probes.add(List.of(workload, b, String.valueOf(b.equals("sequential") ? 1 : top)));
                }
            }
        }
        if (families.contains("cluster")) {
            ClusterPlan.add(plan, profile, workloads, requested, coreCounts);
        }
        return plan;
    }

    private void scaling(Profile profile, List<String> workloads, List<String> backends, List<Integer> coreCounts,
            List<Integer> workersOverride) {
        int top = coreCounts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<String> parallel = without(backends, "sequential");
        for (int k : coreCounts) {
            if (backends.contains("sequential")) {
                invocations.add(new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", k,
                        params("workload", workloads, "backend", List.of("sequential"), "workers", List.of(1),
                                "cores", List.of(k))));
            }
            if (parallel.isEmpty()) {
                continue;
            }
            if (!workersOverride.isEmpty() || k != top || profile == Profile.SMOKE) {
                List<Integer> workers = workersOverride.isEmpty() ? List.of(k) : workersOverride;
                invocations.add(new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", k,
                        params("workload", workloads, "backend", parallel, "workers", workers, "cores", List.of(k))));
            } else if (profile == Profile.FULL) {
                invocations.add(new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", k,
                        params("workload", workloads, "backend", parallel, "workers", List.of(k, 2 * k, 4 * k),
                                "cores", List.of(k))));
            } else {
                // quick: oversubscribe only the three kinds of worker (platform thread, virtual thread, process)
                invocations.add(new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", k,
                        params("workload", workloads, "backend", parallel, "workers", List.of(k), "cores", List.of(k))));
                List<String> kinds = only(parallel, "thread-pool", "virtual-threads", "process-pool");
                if (!kinds.isEmpty()) {
                    invocations.add(new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", k,
                            params("workload", workloads, "backend", kinds, "workers", List.of(2 * k),
                                    "cores", List.of(k))));
                }
            }
        }
    }

    private void granularity(Profile profile, List<String> workloads, List<String> backends, int top,
            List<Integer> workersOverride) {
        List<Integer> workers = workersOverride.isEmpty() ? List.of(top) : workersOverride;
        List<String> chosen = only(backends, "sequential", "thread-pool", "process-pool");
        if (workloads.contains("factorial") && !chosen.isEmpty()) {
            List<Integer> sizes = profile == Profile.SMOKE ? List.of(100, 3_000, 30_000)
                    : List.of(100, 300, 1_000, 3_000, 10_000, 30_000);
            invocations.add(new JmhInvocation("granularity", "\\.GranularityBenchmark\\.factorial$", top,
                    params("backend", chosen, "workers", workers, "cores", List.of(top), "taskSize", sizes)));
            if (backends.contains("process-per-task")) {
                skip("granularity", "factorial", "factorial", "process-per-task", top, top,
                        "one JVM per task: the 16384 smallest tasks would take minutes per job; see METHODOLOGY.md");
            }
        }
        List<String> chunked = without(chosen, "sequential");
        if (workloads.contains("squares") && !chunked.isEmpty()) {
            List<Integer> chunks = profile == Profile.SMOKE ? List.of(10, 1_000) : List.of(1, 10, 100, 1_000, 10_000);
            invocations.add(new JmhInvocation("granularity", "\\.GranularityBenchmark\\.squaresChunks$", top,
                    params("backend", chunked, "workers", workers, "cores", List.of(top), "chunksize", chunks)));
        }
    }

    private void io(Profile profile, List<String> backends, int top) {
        List<Integer> concurrency = profile == Profile.SMOKE ? List.of(1, 16) : List.of(1, 4, 16, 64, 256);
        // smoke: 32 files instead of 128, so the one-at-a-time point takes under a second per job
        List<Integer> files = profile == Profile.SMOKE ? List.of(32) : List.of(128);
        int most = concurrency.get(concurrency.size() - 1);
        List<String> threads = only(backends, "thread-pool", "virtual-threads");
        if (!threads.isEmpty()) {
            invocations.add(new JmhInvocation("io", "\\.IoBenchmark\\.", top,
                    params("backend", threads, "workers", concurrency, "cores", List.of(top), "tasks", files)));
            // the server's own ceiling: no latency, the most concurrency
            invocations.add(new JmhInvocation("io", "\\.IoBenchmark\\.", top,
                    params("backend", threads.subList(0, 1), "workers", List.of(most), "cores", List.of(top),
                            "latencyMs", List.of(0), "tasks", files)));
        }
        if (backends.contains("process-pool")) {
            List<Integer> capped = concurrency.stream().filter(c -> c <= IO_PROCESS_CAP).toList();
            invocations.add(new JmhInvocation("io", "\\.IoBenchmark\\.", top,
                    params("backend", List.of("process-pool"), "workers", capped, "cores", List.of(top),
                            "tasks", files)));
            for (int c : concurrency) {
                if (c > IO_PROCESS_CAP) {
                    skip("io", "download", "download", "process-pool", top, c, "capped at " + IO_PROCESS_CAP
                            + " worker JVMs: " + c + " JVMs would cost gigabytes of memory; see METHODOLOGY.md");
                }
            }
        }
        if (backends.contains("process-per-task")) {
            skip("io", "download", "download", "process-per-task", top, null,
                    "one JVM per file: 128 JVM starts per job measure start-up, not I/O (the creation family does)");
        }
    }

    private void skip(String family, String benchmark, String workload, String backend, int cores, Integer workers,
            String why) {
        skipped.add(new ResultRow(null, family, benchmark, workload, backend, cores, workers, null, null, null, null,
                null, null, null, null, null, ResultRow.SKIPPED, why, null));
    }

    /** The total number of JMH points. */
    int points() {
        return invocations.stream().mapToInt(JmhInvocation::points).sum();
    }

    private static List<String> without(List<String> list, String drop) {
        return list.stream().filter(s -> !s.equals(drop)).toList();
    }

    private static List<String> only(List<String> list, String... keep) {
        List<String> k = List.of(keep);
        return list.stream().filter(k::contains).toList();
    }

    /** Parameters from alternating names and value lists. */
    private static Map<String, List<String>> params(Object... nameValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], ((List<?>) nameValues[i + 1]).stream().map(String::valueOf).toList());
        }
        return m;
    }
}
