package org.poolbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class SpeedupsTest {

    /** The families with speedups, as the registry (cli/Family) hands them to this floor. */
    static final java.util.Set<String> SPEEDUPS = java.util.Set.of("scaling", "granularity");

    static ResultRow r(String family, String backend, Integer cores, String mode, double score) {
        return new ResultRow("r", family, "job", "factorial", backend, cores, cores, 100L, 0, 8, mode, score, null,
                "ms/op", null, null, "ok", null, null);
    }

    @Test
    void timeModesDivideTheSequentialTimeWithTheFewestCores() {
        List<ResultRow> out = Speedups.fill(List.of(
                r("scaling", "sequential", 4, "avgt", 90.0),
                r("scaling", "sequential", 1, "avgt", 100.0),
                r("scaling", "thread-pool", 4, "avgt", 25.0)), SPEEDUPS);
        assertEquals(1.0, out.get(1).speedup());
        assertEquals(4.0, out.get(2).speedup());
        assertEquals(1.0, out.get(2).efficiency());
        assertEquals(100.0 / 90.0, out.get(0).speedup(), 1e-12);
    }

    @Test
    void throughputIsInverted() {
        List<ResultRow> out = Speedups.fill(List.of(
                r("granularity", "sequential", 2, "thrpt", 10.0),
                r("granularity", "process-pool", 2, "thrpt", 15.0)), SPEEDUPS);
        assertEquals(1.5, out.get(1).speedup());
        assertEquals(0.75, out.get(1).efficiency());
    }

    @Test
    void otherFamiliesSkippedRowsAndRowsWithoutBaselineGetNothing() {
        ResultRow skipped = new ResultRow("r", "scaling", "job", "factorial", "process-pool", 2, 2, 100L, 0, 8,
                "avgt", null, null, null, 9.0, 9.0, "skipped", "by design", null);
        List<ResultRow> out = Speedups.fill(List.of(
                r("io", "sequential", 1, "avgt", 10.0),
                r("io", "thread-pool", 1, "avgt", 5.0),
                r("scaling", "thread-pool", 2, "avgt", 5.0),
                skipped), SPEEDUPS);
        out.forEach(row -> assertNull(row.speedup()));
        out.forEach(row -> assertNull(row.efficiency()));
    }
}
