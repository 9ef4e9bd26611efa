package org.poolbench.bench;

import java.util.ArrayList;
import java.util.List;
import org.poolbench.results.ResultRow;
import org.poolbench.workload.Download;
import org.poolbench.workload.Factorial;
import org.poolbench.workload.Squares;

/**
 * What the benchmark classes know about their jobs but JMH's JSON does not say: the workload a family implies and the
 * number of tasks a job really had where a parameter said "default". Charts need both (time per task = score / tasks).
 * Ceiling rows get workload and backend {@code spin} and the chains per job as {@code tasks}.
 */
public final class JobFacts {

    private JobFacts() {
    }

    /** The rows with {@code workload} and {@code tasks} filled in where this package knows them. */
    public static List<ResultRow> complete(List<ResultRow> rows) {
        List<ResultRow> out = new ArrayList<>(rows.size());
        for (ResultRow r : rows) {
            String workload = r.workload();
            String backend = r.backend();
            Integer tasks = r.tasks();
            switch (r.family() == null ? "" : r.family()) {
                case "ceiling" -> {
                    workload = "spin";
                    backend = "spin";
                    tasks = CeilingBenchmark.CHAINS;
                }
                case "scaling" -> {
                    if (tasks == null || tasks == 0) {
                        tasks = defaultTasks(workload);
                    }
                }
                case "granularity" -> {
                    if ("factorial".equals(r.benchmark())) {
                        workload = "factorial";
                        tasks = r.taskSize() == null ? null
                                : GranularityBenchmark.TASKS.getOrDefault(r.taskSize().intValue(), 8);
                    } else if ("squaresChunks".equals(r.benchmark())) {
                        workload = "squares";
                        tasks = GranularityBenchmark.SQUARES;
                    }
                }
                case "io" -> workload = "download";
                case "cluster" -> {
                    if ("scaling".equals(r.benchmark()) && (tasks == null || tasks == 0)) {
                        tasks = defaultTasks(workload);
                    } else if ("tinyTasks".equals(r.benchmark())) {
                        workload = "squares";
                        tasks = ClusterBenchmark.TINY_TASKS;
                    }
                }
                default -> { }
            }
            // the cluster family's creation methods have no backend parameter: what they create is a cluster
            String created = backend == null && "cluster".equals(r.family()) ? "cluster" : backend;
            out.add(r.toBuilder().workload(workload).backend(created).tasks(tasks).build());
        }
        return out;
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
