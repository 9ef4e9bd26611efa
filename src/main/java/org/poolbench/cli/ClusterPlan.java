package org.poolbench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poolbench.results.ResultRow;

/**
 * The cluster family's part of a {@link Plan} (ClusterBenchmark): scaling against members 1..N beside the process
 * pool, the cluster's creation rungs, the round trip beside {@code apply}, and tiny-task throughput.
 *
 * <p>Local members (the default): N is the top core count, and scaling at k members is pinned to k cores like the
 * scaling family (each member pinned to one of them); sequential runs once, at one core, as the speedup baseline.
 * With {@code run --cluster}, N is the number of members found ({@link ClusterOption#MEMBERS_PROPERTY}) and the
 * invocations run on this machine's top core count (the members are elsewhere). {@code smoke} measures the top
 * member count, the round trip and one cluster start, and leaves the rest as skipped rows.
 */
final class ClusterPlan {

    private static final String CLASS = "\\.ClusterBenchmark\\.";

    private ClusterPlan() {
    }

    static void add(Plan plan, Profile profile, List<String> workloads, List<String> backends,
            List<Integer> coreCounts) {
        if (!backends.contains("cluster")) {
            return;
        }
        int top = plan.topCores();
        Integer remote = Integer.getInteger(ClusterOption.MEMBERS_PROPERTY);
        List<String> jobs = workloads.stream().filter(w -> w.equals("factorial") || w.equals("squares")).toList();
        List<String> against = backends.stream().filter(b -> b.equals("process-pool")).toList();
        List<String> compared = new ArrayList<>(against);
        compared.add("cluster");
        if (!jobs.isEmpty()) {
            List<Integer> memberCounts = remote != null
                    ? (profile == Profile.SMOKE ? List.of(remote) : Cpus.doublings(remote))
                    : (profile == Profile.SMOKE ? List.of(top) : coreCounts);
            boolean sequential = backends.contains("sequential") && profile != Profile.SMOKE;
            for (int k : memberCounts) {
                int cores = remote != null ? top : k;
                List<String> b = new ArrayList<>(compared);
                if (sequential && k == memberCounts.get(0)) {
                    b.add(0, "sequential");
                }
                for (String job : jobs) { // a JVM per workload, with its own settings (JvmSettings)
                    plan.invocations.add(new JmhInvocation("cluster", CLASS + "scaling$", cores, params("workload",
                            List.of(job), "backend", b, "workers", List.of(k), "cores", List.of(cores))));
                }
            }
            if (profile == Profile.SMOKE) {
                skip(plan, "scaling", null, top, "smoke: no sequential baseline, so no speedup; quick and full have it");
            }
        }
        plan.invocations.add(new JmhInvocation("cluster", CLASS + "roundTrip$", top,
                params("backend", compared, "cores", List.of(top))));
        if (profile == Profile.SMOKE) {
            plan.invocations.add(new JmhInvocation("cluster", CLASS + "firstTask$", top,
                    params("members", List.of(top), "cores", List.of(top))));
            skip(plan, "memberUp", null, top, "smoke: member start-up is measured in quick and full");
            skip(plan, "memberJoin", null, top, "smoke: a member's join is measured in quick and full");
            skip(plan, "tinyTasks", top, top, "smoke: tiny-task throughput is measured in quick and full");
            return;
        }
        List<Integer> sizes = top == 1 ? List.of(1) : List.of(1, top);
        plan.invocations.add(new JmhInvocation("cluster", CLASS + "memberUp$", top, params("cores", List.of(top))));
        plan.invocations.add(new JmhInvocation("cluster", CLASS + "memberJoin$", top,
                params("members", List.of(Math.max(2, top)), "cores", List.of(top))));
        plan.invocations.add(new JmhInvocation("cluster", CLASS + "firstTask$", top,
                params("members", sizes, "cores", List.of(top))));
        plan.invocations.add(new JmhInvocation("cluster", CLASS + "tinyTasks$", top,
                params("backend", compared, "workers", List.of(remote != null ? remote : top),
                        "cores", List.of(top))));
    }

    private static void skip(Plan plan, String benchmark, Integer workers, int cores, String why) {
        plan.skipped.add(new ResultRow(null, "cluster", benchmark, null, "cluster", cores, workers, null, null, null,
                null, null, null, null, null, null, ResultRow.SKIPPED, why, null));
    }

    private static Map<String, List<String>> params(Object... nameValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], ((List<?>) nameValues[i + 1]).stream().map(String::valueOf).toList());
        }
        return m;
    }
}
