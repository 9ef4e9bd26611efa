package org.poolbench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run measures: the JMH invocations for the chosen families, workloads, backends and core counts.
 *
 * <p>Scaling pins each invocation to k cores and uses k workers (the fair comparison: as many workers as cores), and
 * at the machine's full core count also 2k and 4k workers, so oversubscription shows. {@code sequential} runs with
 * one worker at each core count: its flat line checks that pinning changes nothing but the cores.
 */
final class Plan {

    /** The families a run can measure, in the order they run. */
    static final List<String> FAMILIES = List.of("scaling");

    private Plan() {
    }

    /**
     * @param workersOverride worker counts to use at every core count instead of k (and 2k, 4k), or empty
     */
    static List<JmhInvocation> build(Profile profile, List<String> families, List<String> workloads,
            List<String> backends, List<Integer> coreCounts, List<Integer> workersOverride) {
        List<JmhInvocation> plan = new ArrayList<>();
        if (families.contains("scaling")) {
            int top = coreCounts.stream().mapToInt(Integer::intValue).max().orElseThrow();
            List<String> parallel = backends.stream().filter(b -> !b.equals("sequential")).toList();
            for (int k : coreCounts) {
                if (backends.contains("sequential")) {
                    plan.add(scaling(k, workloads, List.of("sequential"), List.of(1)));
                }
                if (!parallel.isEmpty()) {
                    List<Integer> workers = !workersOverride.isEmpty() ? workersOverride
                            : k == top && profile != Profile.SMOKE ? List.of(k, 2 * k, 4 * k)
                            : List.of(k);
                    plan.add(scaling(k, workloads, parallel, workers));
                }
            }
        }
        return plan;
    }

    private static JmhInvocation scaling(int cores, List<String> workloads, List<String> backends,
            List<Integer> workers) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("workload", workloads);
        params.put("backend", backends);
        params.put("workers", workers.stream().map(String::valueOf).toList());
        params.put("cores", List.of(String.valueOf(cores)));
        return new JmhInvocation("scaling", "ScalingBenchmark", cores, params);
    }
}
