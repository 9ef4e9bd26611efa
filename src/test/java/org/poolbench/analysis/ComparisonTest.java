package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.poolbench.analysis.Comparison.Change;
import org.poolbench.analysis.Comparison.Verdict;
import org.poolbench.results.ResultRow;

class ComparisonTest {

    static ResultRow row(String mode, double score, Double error) {
        return ResultRow.builder().runId("A").family("scaling").benchmark("job").workload("factorial")
                .backend("thread-pool").cores(2).workers(2).mode(mode).score(score).scoreError(error)
                .unit(mode.equals("thrpt") ? "ops/s" : "ms/op").status("ok").build();
    }

    /** Iterations around {@code mean} with a relative spread of {@code spread}, seeded. */
    static double[] sample(double mean, double spread, int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean * (1 + spread * r.nextGaussian());
        }
        return x;
    }

    @Test
    void intervalsWhenNoRawIterations() {
        double t = 0.05;
        assertEquals(Verdict.FASTER, Comparison.intervals(row("avgt", 100, 5.0), row("avgt", 80, 5.0), t).verdict());
        assertEquals(Verdict.SLOWER, Comparison.intervals(row("avgt", 100, 5.0), row("avgt", 120, 5.0), t).verdict());
        assertEquals(Verdict.NO_CHANGE, Comparison.intervals(row("avgt", 100, 5.0), row("avgt", 108, 5.0), t).verdict());
        // intervals apart, but the change is inside the noise threshold
        assertEquals(Verdict.NO_CHANGE, Comparison.intervals(row("avgt", 100, 0.1), row("avgt", 103, 0.1), t).verdict());
        // Without an error estimate (two iterations) no change can be claimed, however large.
        assertEquals(Verdict.UNKNOWN, Comparison.intervals(row("avgt", 100, null), row("avgt", 50, 5.0), t).verdict());
        // Throughput: higher is better, and the ratio is still a time ratio.
        Change thrpt = Comparison.intervals(row("thrpt", 100, 1.0), row("thrpt", 200, 1.0), t);
        assertEquals(Verdict.FASTER, thrpt.verdict());
        assertEquals(0.5, thrpt.ratio(), 1e-12);
        Change c = Comparison.intervals(row("avgt", 100, 10.0), row("avgt", 50, 5.0), t);
        assertEquals(45 / 110.0, c.low(), 1e-12);
        assertEquals(55 / 90.0, c.high(), 1e-12);
    }

    @Test
    void aPointMayMoveAsFarAsTheMachinesMemoryDidInTheSameDirectionButNoFurther() {
        ResultRow a = row("avgt", 100, 2.0);
        double[] sa = sample(100, 0.02, 15, 1);
        double[] fasterBy25 = sample(75, 0.02, 15, 2);
        assertEquals(Verdict.FASTER, Comparison.bootstrap(a, a, sa, fasterBy25, 0.05).verdict(), "no machine reading");
        Change excused = Comparison.bootstrap(a, a, sa, fasterBy25, 0.05, 0.7);
        assertEquals(Verdict.NO_CHANGE, excused.verdict(), "copies took 0.7× as long in B: 0.75× is the machine's");
        assertTrue(excused.withinMachineMove() && excused.note().contains("0.70×"), excused.note());
        assertEquals(0.7, excused.copyRatio(), 0);
        assertEquals(Verdict.FASTER, Comparison.bootstrap(a, a, sa, fasterBy25, 0.05, 1.3).verdict(),
                "the machine was slower in B, so it cannot explain B being faster");
        assertEquals(Verdict.FASTER, Comparison.bootstrap(a, a, sa, sample(55, 0.02, 15, 3), 0.05, 0.7).verdict(),
                "0.55× is beyond what the machine moved (0.7 × 0.95)");
        assertEquals(Verdict.SLOWER, Comparison.bootstrap(a, a, sa, sample(125, 0.02, 15, 4), 0.05, 0.7).verdict(),
                "a slowdown against the machine's direction is judged by the threshold alone");
        assertEquals(Verdict.NO_CHANGE, Comparison.bootstrap(a, a, sa, sample(125, 0.02, 15, 4), 0.05, 1.3).verdict());

        Comparison c = Comparison.of("A", List.of(a), r -> sa, "B", List.of(a), r -> fasterBy25, 0.05, "",
                java.util.Map.of(a.pointKey(), 0.7));
        assertTrue(c.lesson().contains("1 of the no-change points moved beyond the threshold"), c.lesson());
    }

    @Test
    void aPointsOwnMachineReadingsAreItsAllowanceInsteadOfTheCopyAroundIt() {
        ResultRow a = row("avgt", 100, 2.0);
        double[] sa = sample(100, 0.02, 15, 1);
        double[] slowerBy30 = sample(130, 0.02, 15, 5);
        assertEquals(Verdict.SLOWER, Comparison.bootstrap(a, a, sa, slowerBy30, 0.05, 1.0).verdict(),
                "the copy around the part did not move");
        Change excused = Comparison.bootstrap(a, a, sa, slowerBy30, 0.05, 1.0, 1.3);
        assertEquals(Verdict.NO_CHANGE, excused.verdict(), "its slowest CPU took 1.3× as long after its iterations");
        assertTrue(excused.withinMachineMove() && excused.note().contains("machine reading took 1.30×"),
                excused.note());
        assertEquals(1.3, excused.probeRatio(), 0);
        assertEquals(Verdict.SLOWER, Comparison.bootstrap(a, a, sa, slowerBy30, 0.05, 1.3, 1.0).verdict(),
                "readings that did not move outweigh a copy that did");
        assertEquals(Verdict.SLOWER, Comparison.bootstrap(a, a, sa, sample(160, 0.02, 15, 6), 0.05, 1.0, 1.3)
                .verdict(), "1.6× is beyond the machine's 1.3 × 1.05");

        Comparison c = Comparison.of("A", List.of(a), r -> sa, "B", List.of(a), r -> slowerBy30, 0.05, "",
                java.util.Map.of(), java.util.Map.of(a.pointKey(), 1.3));
        assertEquals(Verdict.NO_CHANGE, c.changes().get(0).verdict());
    }

    @Test
    void bootstrapFindsARealSlowdownAndNothingInTheSameDistribution() {
        // A/A: twenty draws of the same noisy distribution, never called a change
        int changes = 0;
        for (int seed = 0; seed < 20; seed++) {
            Change aa = Comparison.bootstrap(row("avgt", 100, 5.0), row("avgt", 100, 5.0),
                    sample(100, 0.05, 15, seed), sample(100, 0.05, 15, 1000 + seed), 0.05);
            changes += aa.verdict() == Verdict.NO_CHANGE ? 0 : 1;
            assertTrue(aa.low() <= aa.ratio() && aa.ratio() <= aa.high());
        }
        assertEquals(0, changes, "A/A comparisons called a change");
        // A 30 % slowdown with the same noise is found, with a small p and an interval above the threshold
        Change ab = Comparison.bootstrap(row("avgt", 100, 5.0), row("avgt", 130, 5.0),
                sample(100, 0.05, 15, 1), sample(130, 0.05, 15, 2), 0.05);
        assertEquals(Verdict.SLOWER, ab.verdict());
        assertTrue(ab.pWelch() < 1e-6 && ab.pMannWhitney() < 1e-3, ab.toString());
        assertTrue(ab.low() > 1.05 && ab.high() < 1.6, ab.toString());
        // Significant but smaller than the threshold: no change, and said so
        Change small = Comparison.bootstrap(row("avgt", 100, 0.5), row("avgt", 102, 0.5),
                sample(100, 0.002, 15, 3), sample(102, 0.002, 15, 4), 0.05);
        assertEquals(Verdict.NO_CHANGE, small.verdict());
        assertTrue(small.pWelch() < 0.05 && small.note().contains("noise threshold"), small.toString());
        // Throughput samples: doubling throughput halves the time ratio
        Change thrpt = Comparison.bootstrap(row("thrpt", 100, 1.0), row("thrpt", 200, 1.0),
                sample(100, 0.01, 10, 5), sample(200, 0.01, 10, 6), 0.05);
        assertEquals(Verdict.FASTER, thrpt.verdict());
        assertEquals(0.5, thrpt.ratio(), 0.01);
    }

    @Test
    void matchesPointsAndUsesRawIterationsWhereBothHaveThem() {
        ResultRow a = row("avgt", 100, 5.0);
        ResultRow b = row("avgt", 130, 5.0);
        ResultRow other = row("avgt", 50, 1.0).toBuilder().backend("fork-join").build();
        Comparison c = Comparison.of("A", List.of(a, other), r -> sample(100, 0.05, 10, 1), "B", List.of(b),
                r -> sample(130, 0.05, 10, 2), 0.05);
        assertEquals(1, c.changes().size());
        assertEquals("bootstrap", c.changes().get(0).method());
        assertEquals(Verdict.SLOWER, c.changes().get(0).verdict());
        assertEquals(1, c.onlyInA());
        assertEquals(0, c.onlyInB());
        Comparison noRaw = Comparison.of("A", List.of(a), null, "B", List.of(b), r -> sample(1, 0, 10, 1), 0.05);
        assertEquals("intervals", noRaw.changes().get(0).method());
    }
}
