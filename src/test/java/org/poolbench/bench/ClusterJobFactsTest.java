package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poolbench.results.ResultRow;
import org.poolbench.workload.Factorial;

/** The cluster family's rows get the workload, task count and backend their methods imply. */
class ClusterJobFactsTest {

    private static ResultRow row(String benchmark, String workload, String backend) {
        return new ResultRow("r", "cluster", benchmark, workload, backend, 2, 2, null, null, null, "avgt", 1.0, null,
                "ms/op", null, null, "ok", null, null);
    }

    @Test
    void clusterRowsAreCompleted() {
        List<ResultRow> rows = List.of(row("scaling", "factorial", "cluster"), row("tinyTasks", null, "process-pool"),
                row("firstTask", null, null), row("roundTrip", null, "cluster")).stream().map(JobFacts::cluster)
                .toList();
        assertEquals(Factorial.DEFAULT_TASKS, rows.get(0).tasks());
        assertEquals("squares", rows.get(1).workload());
        assertEquals(ClusterBenchmark.TINY_TASKS, rows.get(1).tasks());
        assertEquals("process-pool", rows.get(1).backend());
        assertEquals("cluster", rows.get(2).backend(), "a creation rung of the cluster is the cluster's");
        assertEquals(null, rows.get(3).tasks());
    }
}
