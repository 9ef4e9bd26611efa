package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.poolbench.analysis.Reproduction.Figure;
import org.poolbench.analysis.Reproduction.Verdict;
import org.poolbench.results.ResultRow;

class ReproductionTest {

    private static final Set<String> SPEEDUPS = Set.of("scaling", "granularity");
    private static final List<String> WORKLOADS = List.of("factorial", "squares", "download");

    private static ResultRow scaling(String run, String workload, String backend, int cores, int workers,
                                     double ms, double error) {
        return ResultRow.builder().runId(run).family("scaling").benchmark("job").workload(workload).backend(backend)
                .cores(cores).workers(workers).tasks(12).mode("avgt").score(ms).scoreError(error).unit("ms/op")
                .status("ok").params("fileBytes=65536;latencyMs=20").build();
    }

    private static ResultRow spin(String run, int cores, int workers, double ms) {
        return ResultRow.builder().runId(run).family("ceiling").benchmark("spin").workload("spin").backend("spin")
                .cores(cores).workers(workers).tasks(1024).mode("avgt").score(ms).scoreError(ms * 0.03).unit("ms/op")
                .status("ok").build();
    }

    /**
     * A run shaped like the reference's factorial scaling on 2 cores: times scaled by {@code speed} (a slower or
     * faster machine), thread-pool's by {@code threads} on top (the doctoring).
     */
    private static List<ResultRow> run(String id, double speed, double threads) {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(spin(id, 1, 1, 37 * speed));
        rows.add(spin(id, 2, 1, 39 * speed));
        rows.add(spin(id, 2, 2, 19.6 * speed));
        rows.add(scaling(id, "factorial", "sequential", 1, 1, 288 * speed, 19));
        rows.add(scaling(id, "factorial", "sequential", 2, 1, 301 * speed, 26));
        rows.add(scaling(id, "factorial", "thread-pool", 1, 1, 316 * speed * threads, 40 * threads));
        rows.add(scaling(id, "factorial", "process-pool", 1, 1, 347 * speed, 40));
        rows.add(scaling(id, "factorial", "thread-pool", 2, 2, 176 * speed * threads, 13.6 * threads));
        rows.add(scaling(id, "factorial", "process-pool", 2, 2, 186 * speed, 15));
        rows.add(scaling(id, "factorial", "process-per-task", 2, 2, 3473 * speed, 522));
        return rows;
    }

    private static Figure find(Reproduction r, String kind, String name) {
        return r.figures().stream().filter(f -> f.kind().equals(kind) && f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + name + " not in " + r.figures()));
    }

    @Test
    void theSameRunOnAMachineTwiceAsSlowReproducesAndItsTimesAreListedApart() {
        Reproduction r = Reproduction.of(run("A", 1, 1), run("B", 2, 1), SPEEDUPS, 2, true, 0.10);
        assertTrue(r.reproduced(), r.failures().toString());
        assertEquals(Verdict.REPRODUCED, find(r, "speedup", "factorial, thread-pool, 2 cores, 2 workers").verdict());
        assertEquals(Verdict.REPRODUCED,
                find(r, "claim", "Threads cannot speed up CPU-bound work. (JVM)").verdict());
        assertEquals(Verdict.REPRODUCED, find(r, "process-pool over thread-pool",
                "factorial, process-pool over thread-pool, 2 cores, 2 workers").verdict());
        // absolute times are all twice as long, and the machine's spin loop says the same
        assertFalse(r.times().isEmpty());
        r.times().forEach(t -> assertEquals(2.0, t.ratio(), 1e-9, t.point()));
        assertEquals(2.0, r.machine().spinRatio(), 1e-9);
        assertEquals(1.0, r.machine().ceilingRatio(2), 1e-9);
        // claims the recorded run could not speak to are not listed at all
        assertTrue(r.figures().stream().noneMatch(f -> f.name().startsWith("Use threads for I/O")));
    }

    @Test
    void aDoctoredRunWithThreadPoolTimesDoubledDoesNotReproduceAndTheFailuresAreNamed() {
        Reproduction r = Reproduction.of(run("doctored", 1, 2), run("now", 1, 1), SPEEDUPS, 2, true, 0.10);
        assertFalse(r.reproduced());
        List<String> failed = r.failures().stream().map(f -> f.kind() + ": " + f.name()).toList();
        assertTrue(failed.contains("speedup: factorial, thread-pool, 2 cores, 2 workers"), failed.toString());
        assertTrue(failed.contains("speedup: factorial, thread-pool, 1 core, 1 worker"), failed.toString());
        assertTrue(failed.contains("process-pool over thread-pool: factorial, process-pool over thread-pool, 2 cores,"
                + " 2 workers"), failed.toString());
        // doubled thread times make processes "beat threads" (1.55× against 0.82×): the claim's verdict flips
        Figure cpu = find(r, "claim", "Use processes for CPU-bound work (they beat threads there). (JVM)");
        assertEquals(Verdict.NOT_REPRODUCED, cpu.verdict());
        assertEquals("holds", cpu.recorded());
        assertEquals("does not hold", cpu.now());
        // what did not involve thread-pool still reproduces
        assertEquals(Verdict.REPRODUCED,
                find(r, "speedup", "factorial, process-pool, 2 cores, 2 workers").verdict());
    }

    @Test
    void aSmallMoveWithinTheToleranceReproducesALargeOneBeyondTheIntervalsDoesNot() {
        List<ResultRow> a = run("A", 1, 1);
        List<ResultRow> moved = new ArrayList<>();
        for (ResultRow x : run("B", 1, 1)) {
            boolean pp = "process-pool".equals(x.backend()) && x.cores() == 2;
            moved.add(pp ? x.toBuilder().score(x.score() * 1.08).build() : x);
        }
        assertTrue(Reproduction.of(a, moved, SPEEDUPS, 2, true, 0.10).reproduced(), "8 % is within ±10 %");
        assertTrue(Reproduction.of(a, moved, SPEEDUPS, 2, true, 0.0).reproduced(),
                "with no tolerance at all, 8 % still lies within these points' errors");
        // the p-value: no move at all cannot be evidence of a move; a move of 50 % with 1 % errors is
        assertEquals(1.0, Reproduction.pValue(1.6, 0.02, 1.6, 0.02, 0.10), 0.5);
        assertTrue(Reproduction.pValue(1.6, 0.01, 2.4, 0.01, 0.10) < 1e-6);
        // without any error estimate the tolerance alone decides
        assertEquals(0.0, Reproduction.pValue(1, 0, 1.2, 0, 0.10));
        assertEquals(1.0, Reproduction.pValue(1, 0, 1.05, 0, 0.10));
    }

    @Test
    void holmCorrectsForTheNumberOfFiguresTested() {
        // a move of 25 % whose one test has p about 0.01: significant alone, not against Holm's first limit of
        // 0.05 / 8 once seven other figures are tested alongside
        double se = (Math.log(1.25) - Math.log(1.10)) / 2.33;
        assertTrue(Reproduction.pValue(1, se / Math.sqrt(2), 1.25, se / Math.sqrt(2), 0.10) < 0.02);
        List<ResultRow> a = run("A", 1, 1);
        List<ResultRow> b = new ArrayList<>();
        for (ResultRow x : run("B", 1, 1)) {
            boolean pp = "process-per-task".equals(x.backend());
            // process-per-task 25 % slower, with errors that give that one test p ≈ 0.01
            double rel = se / Math.sqrt(2) * Reproduction.Z_999;
            b.add(pp ? x.toBuilder().score(x.score() * 1.25).scoreError(x.score() * 1.25 * rel).build() : x);
        }
        List<ResultRow> a2 = new ArrayList<>();
        for (ResultRow x : a) {
            a2.add("process-per-task".equals(x.backend()) || "sequential".equals(x.backend())
                    ? x.toBuilder().scoreError("sequential".equals(x.backend()) ? 1e-9 : x.score()
                    * se / Math.sqrt(2) * Reproduction.Z_999).build() : x);
        }
        List<ResultRow> b2 = new ArrayList<>();
        for (ResultRow x : b) {
            b2.add("sequential".equals(x.backend()) ? x.toBuilder().scoreError(1e-9).build() : x);
        }
        Reproduction r = Reproduction.of(a2, b2, SPEEDUPS, 2, true, 0.10);
        Figure f = find(r, "speedup", "factorial, process-per-task, 2 cores, 2 workers");
        assertTrue(f.p() < 0.02 && f.p() > 0.05 / 8, f.toString());
        assertEquals(Verdict.REPRODUCED, f.verdict(), "Holm's limit for the smallest of 8 p-values is 0.05 / 8");
    }

    @Test
    void pointsThatNeedMoreCoresThanThisMachineAreNotComparableNotFailures() {
        List<ResultRow> a = new ArrayList<>(run("A", 1, 1));
        a.add(scaling("A", "factorial", "thread-pool", 4, 4, 80, 5));
        a.add(spin("A", 4, 4, 9.8));
        Reproduction r = Reproduction.of(a, run("B", 1, 1), SPEEDUPS, 2, true, 0.10);
        Figure four = find(r, "speedup", "factorial, thread-pool, 4 cores, 4 workers");
        assertEquals(Verdict.NOT_COMPARABLE, four.verdict());
        assertTrue(four.why().contains("needs 4 cores; this machine has 2"), four.why());
        assertTrue(r.reproduced());
        // a point this machine could measure but the new run lacks is not comparable either, and says so
        List<ResultRow> b = run("B", 1, 1).stream().filter(x -> !"process-per-task".equals(x.backend())).toList();
        Figure missing = find(Reproduction.of(run("A", 1, 1), b, SPEEDUPS, 2, true, 0.10), "speedup",
                "factorial, process-per-task, 2 cores, 2 workers");
        assertEquals(Verdict.NOT_COMPARABLE, missing.verdict());
        assertEquals("not measured now", missing.why());
    }

    @Test
    void speedupsOnAMachineThatDidNotGiveItsCoresAreNotComparableButRatiosAtTheSameCoresStillAre() {
        List<ResultRow> loaded = new ArrayList<>();
        for (ResultRow x : run("B", 1, 1)) {
            boolean twoParallel = x.cores() == 2 && x.workers() == 2;
            // another program held one of the two CPUs: k threads of spin loop ran no faster than one
            loaded.add(twoParallel && "spin".equals(x.backend()) ? x.toBuilder().score(33.0).build()
                    : twoParallel && x.backend().endsWith("pool") ? x.toBuilder().score(x.score() * 1.6).build() : x);
        }
        Reproduction r = Reproduction.of(run("A", 1, 1), loaded, SPEEDUPS, 2, true, 0.10);
        Figure tp = find(r, "speedup", "factorial, thread-pool, 2 cores, 2 workers");
        assertEquals(Verdict.NOT_COMPARABLE, tp.verdict());
        assertTrue(tp.why().contains("did not give 2 cores' worth of parallel work"), tp.why());
        assertEquals(Verdict.NOT_COMPARABLE,
                find(r, "claim", "Threads cannot speed up CPU-bound work. (JVM)").verdict());
        assertEquals(Verdict.REPRODUCED, find(r, "process-pool over thread-pool",
                "factorial, process-pool over thread-pool, 2 cores, 2 workers").verdict());
        assertEquals(Verdict.REPRODUCED, find(r, "speedup", "factorial, thread-pool, 1 core, 1 worker").verdict());
        assertTrue(r.reproduced(), r.failures().toString());
        // the same shortfall does not hide a doctored ratio between two backends at those cores
        Reproduction doctored = Reproduction.of(run("A", 1, 2), loaded, SPEEDUPS, 2, true, 0.10);
        assertEquals(Verdict.NOT_REPRODUCED, find(doctored, "process-pool over thread-pool",
                "factorial, process-pool over thread-pool, 2 cores, 2 workers").verdict());
    }

    @Test
    void cpythonFiguresAreNotComparableWhenCPythonDidNotRunHere() {
        List<ResultRow> a = new ArrayList<>(run("A", 1, 1));
        a.add(scaling("A", "factorial", "py-sequential", 1, 1, 544, 10));
        a.add(scaling("A", "factorial", "py-thread-pool", 2, 2, 570, 40));
        Reproduction r = Reproduction.of(a, run("B", 1, 1), SPEEDUPS, 2, false, 0.10);
        Figure py = find(r, "speedup", "factorial, py-thread-pool, 2 cores, 2 workers");
        assertEquals(Verdict.NOT_COMPARABLE, py.verdict());
        assertEquals("the CPython baseline did not run here", py.why());
        assertEquals(Verdict.NOT_COMPARABLE,
                find(r, "claim", "Threads cannot speed up CPU-bound work. (CPython)").verdict());
        assertTrue(r.reproduced());
    }

    @Test
    void creationRatiosCrossoversAndLostUpdates() {
        List<ResultRow> a = new ArrayList<>();
        List<ResultRow> b = new ArrayList<>();
        for (List<ResultRow> rows : List.of(a, b)) {
            double f = rows == a ? 1 : 1.5; // another machine: every time 1.5× as long
            rows.add(creation("jvm", 158_000 * f));
            rows.add(creation("platformThread", 224 * f));
            for (long n : List.of(300L, 1000L, 3000L, 10000L)) {
                rows.add(granularity("sequential", n, n * 10.0 * f));
                // the pool catches up at 3000 in A, at 1000 in B: one step on the grid
                rows.add(granularity("process-pool", n, n * 10.0 * f * (n >= (rows == a ? 3000 : 1000) ? 0.6 : 3)));
            }
            rows.add(sync("threads:lostUpdates", rows == a ? 470 : 410));
            rows.add(sync("threads:updates", 1000));
        }
        Reproduction r = Reproduction.of(a, b, SPEEDUPS, 2, true, 0.10);
        assertTrue(r.reproduced(), r.failures().toString());
        assertEquals("705", find(r, "creation ratio", "a worker JVM over a platform thread").recorded());
        Figure cross = find(r, "crossover", "factorial, process-pool against sequential");
        assertEquals("n = 3000", cross.recorded());
        assertEquals("n = 1000", cross.now());
        Figure lost = find(r, "lost updates", "threads, none, 2 contenders");
        assertEquals(Verdict.REPRODUCED, lost.verdict());

        // a correct primitive that now loses updates does not reproduce, whatever the share
        List<ResultRow> c = new ArrayList<>(b);
        c.replaceAll(x -> "threads:lostUpdates".equals(x.benchmark()) ? x.toBuilder().score(0.0).build() : x);
        Reproduction none = Reproduction.of(a, c, SPEEDUPS, 2, true, 0.10);
        assertEquals(Verdict.NOT_REPRODUCED, find(none, "lost updates", "threads, none, 2 contenders").verdict());
        // a crossover two steps away does not reproduce
        List<ResultRow> d = new ArrayList<>(a);
        d.replaceAll(x -> "process-pool".equals(x.backend()) && x.taskSize() == 3000
                ? x.toBuilder().score(x.score() * 5).build() : x);
        Reproduction far = Reproduction.of(d, b, SPEEDUPS, 2, true, 0.10);
        assertEquals(Verdict.NOT_REPRODUCED, find(far, "crossover", "factorial, process-pool against sequential")
                .verdict());
    }

    private static ResultRow creation(String benchmark, double micros) {
        return ResultRow.builder().runId("x").family("creation").benchmark(benchmark).cores(2).mode("avgt")
                .score(micros).scoreError(micros * 0.05).unit("us/op").status("ok").build();
    }

    private static ResultRow granularity(String backend, long n, double micros) {
        return ResultRow.builder().runId("x").family("granularity").benchmark("job").workload("factorial")
                .backend(backend).cores(2).workers(2).taskSize(n).chunksize(backend.equals("sequential") ? null : 1)
                .tasks(64).mode("avgt").score(micros).scoreError(micros * 0.05).unit("us/op").status("ok").build();
    }

    private static ResultRow sync(String benchmark, double count) {
        return ResultRow.builder().runId("x").family("sync").benchmark(benchmark).backend("threads").cores(2)
                .workers(2).mode("avgt").score(count).unit("#").status("ok")
                .params("increments=1000000;primitive=none").build();
    }

    @Test
    void restrictKeepsTheFamiliesAndWorkloadsReRunAndTheCeilingsSpinLoop() {
        List<ResultRow> rows = new ArrayList<>(run("A", 1, 1));
        rows.add(scaling("A", "squares", "thread-pool", 2, 2, 50, 1));
        rows.add(creation("jvm", 158_000));
        List<ResultRow> kept = Reproduction.restrict(rows, List.of("ceiling", "scaling"), List.of("factorial"),
                WORKLOADS);
        assertEquals(run("A", 1, 1).size(), kept.size());
        assertTrue(kept.stream().anyMatch(r -> "spin".equals(r.workload())));
        assertEquals(rows.size(), Reproduction.restrict(rows, null, null, WORKLOADS).size());
        assertThrows(IllegalArgumentException.class, () -> Reproduction.of(rows, rows, SPEEDUPS, 2, true, 1.5));
    }

    @Test
    void differencesSayWhatAMachineWithFewerCoresAndAnotherCodeMeans() {
        Map<String, String> recorded = Map.of("logical_cores", "4", "cores_measured", "1,2,4", "cpu_model", "Xeon",
                "jdk_version", "21.0.2", "git_commit", "abc1234", "jvm_settings", "-XX:+UseSerialGC -Xms1g",
                "python_version", "3.11.7", "python_implementation", "CPython");
        Map<String, String> now = Map.of("logical_cores", "2", "cpu_model", "AMD EPYC", "jdk_version", "25.0.3",
                "git_commit", "def5678", "jvm_settings", "JVM ergonomics");
        List<List<String>> d = RunDifferences.of(recorded, now);
        assertTrue(d.get(0).get(3).contains("points at 4 cores cannot be measured here"), d.get(0).toString());
        assertEquals("ratios are compared; absolute times only listed", d.get(1).get(3));
        assertTrue(d.stream().anyMatch(l -> l.get(0).equals("CPython") && l.get(3).equals(
                "CPython figures not comparable")));
        assertTrue(d.stream().anyMatch(l -> l.get(0).equals("collector") && l.get(1).equals("Serial")
                && l.get(2).startsWith("ergonomics")));
        assertTrue(d.stream().anyMatch(l -> l.get(0).equals("commit") && l.get(1).equals("abc1234")
                && l.get(2).equals("def5678") && l.get(3).contains("code differs")));
    }
}
