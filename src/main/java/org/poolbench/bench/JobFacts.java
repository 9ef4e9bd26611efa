package org.poolbench.bench;

import org.poolbench.results.ResultRow;
import org.poolbench.workload.Download;
import org.poolbench.workload.Factorial;
import org.poolbench.workload.Squares;

/**
 * What the benchmark classes know about their jobs but JMH's JSON does not say: the workload a family implies and the
 * number of tasks a job really had where a parameter said "default". Charts need both (time per task = score / tasks).
 * Ceiling rows get workload and backend {@code spin} and the chains per job as {@code tasks}. A family's registry entry
 * ({@code cli/Family}) names its method here; families whose rows JMH describes fully have none.
 */
public final class JobFacts {

    private JobFacts() {
    }

    // One method per family that needs it, named in its registry entry (cli/Family): a row of that family with
    // workload and tasks (and, for ceiling and the cluster's creation rungs, backend) filled in where this package
    // knows them.

    /** Ceiling rows: workload and backend {@code spin}, the chains per job as {@code tasks}. */
    public static ResultRow ceiling(ResultRow r) {
        return r.toBuilder().workload("spin").backend("spin").tasks(CeilingBenchmark.CHAINS).build();
    }

    /** Scaling rows: the default job's task count where the parameter said "default". */
    public static ResultRow scaling(ResultRow r) {
        return r.tasks() == null || r.tasks() == 0 ? r.toBuilder().tasks(defaultTasks(r.workload())).build() : r;
    }

    /** Granularity rows: the workload each method implies, and the tasks of a job at the row's task size. */
    public static ResultRow granularity(ResultRow r) {
        if ("factorial".equals(r.benchmark())) {
            return r.toBuilder().workload("factorial").tasks(r.taskSize() == null ? null
                    : GranularityBenchmark.TASKS.getOrDefault(r.taskSize().intValue(), 8)).build();
        } else if ("squaresChunks".equals(r.benchmark())) {
            return r.toBuilder().workload("squares").tasks(GranularityBenchmark.SQUARES).build();
        }
        return r;
    }

    /** io rows: the workload is {@code download}. */
    public static ResultRow io(ResultRow r) {
        return r.toBuilder().workload("download").build();
    }

    /**
     * Cluster rows: scaling's default task count, tiny tasks' workload and count; the creation methods have no
     * backend parameter: what they create is a cluster.
     */
    public static ResultRow cluster(ResultRow r) {
        ResultRow.Builder b = r.toBuilder();
        if ("scaling".equals(r.benchmark()) && (r.tasks() == null || r.tasks() == 0)) {
            b.tasks(defaultTasks(r.workload()));
        } else if ("tinyTasks".equals(r.benchmark())) {
            b.workload("squares").tasks(ClusterBenchmark.TINY_TASKS);
        }
        if (r.backend() == null) {
            b.backend("cluster");
        }
        return b.build();
    }

    /** Tasks in a default job of the scaling family. */
    static Integer defaultTasks(String workload) {
        if (workload == null) {
            return null;
        }
        return switch (workload) {
            case "factorial" -> Factorial.DEFAULT_TASKS;
            case "squares" -> Squares.DEFAULT_COUNT;
            case "download" -> Download.DEFAULT_FILES;
            default -> null;
        };
    }
}
