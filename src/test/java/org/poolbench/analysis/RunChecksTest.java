package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.poolbench.cli.Family;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;

/** The run's checks of itself, on synthetic runs: a sound one passes, a doctored one is caught where it is wrong. */
class RunChecksTest {

    static ResultRow seq(int cores, double ms) {
        return ViewsTest.row("scaling", "sequential").workload("factorial").cores(cores).workers(1).tasks(8)
                .score(ms).scoreError(ms / 100).unit("ms/op").build();
    }

    static ResultRow spin(int cores, int workers, double ms) {
        return ViewsTest.row("ceiling", "spin").benchmark("spin").workload("spin").cores(cores).workers(workers)
                .score(ms).scoreError(ms / 100).unit("ms/op").build();
    }

    /** A run where sequential at 1 core took {@code seq1} ms and the thread pool at 2 cores {@code pool2}. */
    static List<ResultRow> run(double seq1, double seq2, double pool1, double pool2) {
        return Family.fillSpeedups(List.of(spin(1, 1, 50), spin(2, 2, 25.6), seq(1, seq1), seq(2, seq2),
                ViewsTest.scaling("thread-pool", 1, 1, pool1), ViewsTest.scaling("thread-pool", 2, 2, pool2)));
    }

    @Test
    void aSoundRunMeetsEveryCheck() {
        List<RunChecks.Check> checks = RunChecks.of(run(300, 303, 297, 170), List.of());
        assertEquals(4, checks.size(), checks.toString());
        assertTrue(checks.stream().allMatch(RunChecks.Check::passed), checks.toString());
        assertTrue(RunChecks.aboveCeiling(run(300, 303, 297, 170)).isEmpty());
    }

    static ResultRow point(String backend, String workload, double relativeError) {
        return ViewsTest.row("scaling", backend).workload(workload).cores(2).workers(2).tasks(8).score(100.0)
                .scoreError(100 * relativeError).unit("ms/op").build();
    }

    @Test
    void eachSideNeedsFourInFivePointsAtTheMostCoresWithinTenPercent() {
        List<ResultRow> rows = List.of(ViewsTest.scaling("thread-pool", 1, 1, 300),
                point("thread-pool", "factorial", 0.02), point("process-pool", "factorial", 0.10),
                point("fork-join", "factorial", 0.05), point("thread-pool", "squares", 0.04),
                point("process-pool", "squares", 0.30),
                point("py-thread-pool", "factorial", 0.02), point("py-process-pool", "factorial", 0.14),
                point("py-process-pool-executor", "factorial", 0.05), point("py-thread-pool", "download", 0.11),
                point("py-process-pool", "download", 0.03));
        List<RunChecks.Check> checks = RunChecks.precision(rows);
        assertEquals(2, checks.size(), checks.toString());
        assertEquals("JVM scaling points at 2 cores with a relative error of at most 10 %", checks.get(0).name());
        assertEquals("4 of 5 (80 %)", checks.get(0).figure());
        assertTrue(checks.get(0).passed(), "exactly 10 % counts, 4 of 5 is enough");
        assertEquals("3 of 5 (60 %)", checks.get(1).figure());
        assertEquals(RunChecks.Result.MISSED, checks.get(1).result(), "CPython: 3 of 5");
        assertTrue(RunChecks.precision(rows.subList(0, 3)).isEmpty(), "fewer than three points: no check");
    }

    @Test
    void aSlowBaselineAtOneCoreIsCaughtThreeWays() {
        // a run whose 1-core baseline was slow: sequential at 1 core 380 ms, a one-worker pool 287, the pool at 2
        // cores 162 (2.34x on two cores): four checks miss, first sequential's 2 cores / 1 core and the one-worker pool
        List<ResultRow> rows = run(380, 318, 287, 162);
        List<String> missed = RunChecks.of(rows, List.of()).stream().filter(c -> !c.passed())
                .map(RunChecks.Check::name).toList();
        assertEquals(4, missed.size(), missed.toString());
        assertTrue(missed.get(0).startsWith("sequential factorial: 2 cores / 1 core"), missed.toString());
        assertTrue(missed.get(1).startsWith("thread-pool (1 worker) / sequential"), missed.toString());
        assertTrue(missed.get(2).startsWith("CPU-bound speedups at 1 core against the machine ceiling 1.00×"),
                missed.toString());
        assertTrue(missed.get(3).startsWith("CPU-bound speedups at 2 cores against the machine ceiling 1.95×"),
                missed.toString());
        // 1.32x with one worker on one core is above that core's ceiling (1) too
        java.util.Set<List<Object>> flagged = new java.util.HashSet<>();
        rows.stream().filter(r -> "thread-pool".equals(r.backend())).forEach(r -> flagged.add(r.pointKey()));
        assertEquals(flagged, RunChecks.aboveCeiling(rows));
        ClaimsView claims = ClaimsView.of(rows);
        ClaimsView.Claim threads = claims.claims().stream().filter(c -> c.claim().startsWith("Threads cannot"))
                .findFirst().orElseThrow();
        assertEquals(ClaimsView.Outcome.NOT_RESOLVED, threads.jvmOutcome(), threads.jvm());
        assertTrue(threads.jvm().contains("above the machine ceiling"), threads.jvm());
        ScalingView view = ScalingView.of(rows, "factorial", Map.of(), 0);
        assertTrue(view.lesson().contains("not results"), view.lesson());
        assertTrue(view.table().rows().stream().anyMatch(l -> l.get(2).contains("above ceiling")),
                view.table().toString());
    }

    @Test
    void aVerdictOnASpeedupOverASlowBaselineSaysSo() {
        // sequential's 1-core point fell in a slow stretch (330 ms) that the one-worker pool (290) missed; the 2-core
        // speedup (330 / 200 = 1.65x) stays below the ceiling, so only the one-worker check tells
        List<ResultRow> rows = run(330, 333, 290, 200);
        assertEquals(List.of("thread-pool (1 worker) / sequential, factorial at 1 core 0.879 ± 0.012"),
                RunChecks.baselineInDoubt(rows, false));
        assertTrue(RunChecks.baselineInDoubt(rows, true).isEmpty(), "CPython's side has no such rows");
        ClaimsView.Claim threads = ClaimsView.of(rows).claims().stream()
                .filter(c -> c.claim().startsWith("Threads cannot")).findFirst().orElseThrow();
        assertEquals(ClaimsView.Outcome.NOT_HELD, threads.jvmOutcome(), threads.jvm());
        assertTrue(threads.jvm().contains("baseline check not met: thread-pool (1 worker) / sequential"),
                threads.jvm());
        ClaimsView.Claim sound = ClaimsView.of(run(300, 303, 297, 170)).claims().stream()
                .filter(c -> c.claim().startsWith("Threads cannot")).findFirst().orElseThrow();
        assertFalse(sound.jvm().contains("baseline check"), sound.jvm());
    }

    @Test
    void withIterationsTheSequentialRatioIsPairedNeighbourByNeighbour() {
        List<ResultRow> rows = run(300, 300, 297, 170);
        ResultRow one = rows.get(2);
        ResultRow two = rows.get(3);
        // a machine whose speed swings by 2x between pairs, while each pair's 2-core time is 3 % under its 1-core
        List<Iteration> its = pairs(one, two, 10, i -> 300 * (i % 2 == 0 ? 1 : 2), i -> 291 * (i % 2 == 0 ? 1 : 2));
        double[] p = RunChecks.paired(its, one, two);
        assertEquals(0.97, p[0], 1e-9);
        assertEquals(10, (int) p[3]);
        assertTrue(p[1] <= 0.97 + 1e-9 && p[2] >= 0.97 - 1e-9);
        RunChecks.Check c = RunChecks.sequential(rows, its).get(0);
        assertTrue(c.figure().startsWith("0.970"), c.figure());
        assertTrue(c.passed());
        assertFalse(RunChecks.sequential(run(300, 300, 297, 170), List.of(iteration(one, 1, 1))).isEmpty());
    }

    @Test
    void slowStretchesOnOneSideOfAFewPairsDoNotMoveTheSequentialCheck() {
        List<ResultRow> rows = run(300, 300, 297, 170);
        ResultRow one = rows.get(2);
        ResultRow two = rows.get(3);
        // 45 pairs alike within ±2 %; 9 of the 1-core iterations ran 1.5x slow (the partner run's factorial at 1 core
        // had 9 of 45 above 1.2x its median): their mean ratio reads 0.93, the pairs' median stays near 1
        List<Iteration> its = pairs(one, two, 45, i -> 300 * (i % 5 == 0 ? 1.5 : 1),
                i -> 300 * (1 + 0.02 * Math.sin(i)));
        double[] p = RunChecks.paired(its, one, two);
        assertEquals(45, (int) p[3]);
        assertTrue(p[0] > 0.99 && p[0] < 1.02, "median " + p[0]);
        assertTrue(p[1] < p[0] && p[2] > p[0] && p[1] > 0.97 && p[2] < 1.03, p[1] + " " + p[2]);
        assertEquals(RunChecks.Result.MET, RunChecks.sequential(rows, its).get(0).result());
        // too few pairs for a 95 % interval: the check falls back to the ratio of the scores
        assertNull(RunChecks.paired(its.subList(0, 10), one, two));
    }

    @Test
    void aRatioOutsideTheTargetIsMissedOnlyWhenItsWholeIntervalIs() {
        assertEquals(RunChecks.Result.MET, RunChecks.Result.of(1.04, 0.90, 1.20, 0.95, 1.05));
        assertEquals(RunChecks.Result.MISSED, RunChecks.Result.of(1.10, 1.07, 1.12, 0.95, 1.05));
        assertEquals(RunChecks.Result.NOT_RESOLVED, RunChecks.Result.of(1.21, 0.84, 1.58, 0.90, 1.10));
        assertEquals(RunChecks.Result.MISSED, RunChecks.Result.of(0.80, 0.70, 0.89, 0.90, 1.10));
        // the same slow baseline: a one-worker pool 287 ms against sequential's 380 at 1 core, with 1 % errors, is a
        // missed check, not noise
        List<RunChecks.Check> oneWorker = RunChecks.oneWorker(run(380, 318, 287, 162));
        assertEquals(RunChecks.Result.MISSED, oneWorker.get(0).result(), oneWorker.toString());
    }

    /** Iterations 1..n of both points, taking turns: {@code one} then {@code two}, at the given times. */
    private static List<Iteration> pairs(ResultRow one, ResultRow two, int n, IntToDoubleFunction oneMs,
            IntToDoubleFunction twoMs) {
        List<Iteration> its = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            its.add(iteration(one, i, oneMs.applyAsDouble(i)));
            its.add(iteration(two, i, twoMs.applyAsDouble(i)));
        }
        return its;
    }

    static Iteration iteration(ResultRow r, int number, double value) {
        return new Iteration("R", r.family(), r.benchmark(), r.workload(), r.backend(), r.cores(), r.workers(),
                r.taskSize(), r.chunksize(), r.tasks(), r.params(), r.mode(), r.unit(), "primary", 1, number, value);
    }
}
