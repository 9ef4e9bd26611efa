package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poolbench.analysis.LessonOutcome.Data;
import org.poolbench.analysis.LessonOutcome.Side;
import org.poolbench.analysis.LessonVerdict.Verdict;
import org.poolbench.results.ResultRow;

/**
 * The lessons' judges on hand-made rows and synthetic iterations, shaped as the families write them: the reference
 * run's large effects give its verdicts, and noisy samples give "not resolved".
 */
class LessonJudgesTest {

    private final List<ResultRow> rows = new ArrayList<>();
    private final Map<List<Object>, double[]> samples = new HashMap<>();

    private void add(ResultRow r, double[] s) {
        rows.add(r);
        samples.put(r.pointKey(), s);
    }

    private void scaling(String backend, String workload, double ms, double spread, long seed) {
        double[] s = LessonVerdictTest.samples(ms, spread, 10, seed);
        add(ViewsTest.row("scaling", backend).workload(workload).cores(2).workers(2).tasks(12).score(ms)
                .unit("ms/op").build(), s);
    }

    @Test
    void cpuBoundOnTheJvmProcessesDoNotBeatThreads() {
        scaling("sequential", "factorial", 430, 0.03, 1);
        scaling("thread-pool", "factorial", 262, 0.03, 2);
        scaling("process-pool", "factorial", 277, 0.03, 3);
        Side jvm = LessonJudges.cpuBound(new Data(false, rows, samples));
        assertEquals(Verdict.DOES_NOT_HOLD, jvm.verdict(), jvm.sentence());
        assertTrue(jvm.sentence().startsWith("does not hold"), jvm.sentence());
        assertEquals("threads: speedup over sequential", jvm.figures().get(0).label());
        assertEquals(430.0 / 262, jvm.figures().get(0).value().estimate(), 0.05);
    }

    @Test
    void cpuBoundInCPythonProcessesBeatThreads() {
        scaling("py-sequential", "factorial", 500, 0.05, 4);
        scaling("py-thread-pool", "factorial", 520, 0.05, 5);
        scaling("py-process-pool", "factorial", 290, 0.05, 6);
        Side py = LessonJudges.cpuBound(new Data(true, rows, samples));
        assertEquals(Verdict.HOLDS, py.verdict(), py.sentence());
        assertEquals("CPython", py.platform());
    }

    @Test
    void cpuBoundWithWideSamplesIsNotResolved() {
        scaling("sequential", "factorial", 430, 0.5, 7);
        scaling("thread-pool", "factorial", 290, 0.5, 8);
        scaling("process-pool", "factorial", 265, 0.5, 9);
        Side jvm = LessonJudges.cpuBound(new Data(false, rows, samples));
        assertEquals(Verdict.NOT_RESOLVED, jvm.verdict(), jvm.sentence());
        assertTrue(jvm.sentence().startsWith("not resolved at this sample size"), jvm.sentence());
    }

    @Test
    void creationOfAProcessIsMuchSlowerOnBothSides() {
        add(ViewsTest.row("creation", null).benchmark("platformThread").cores(2).score(224.0).unit("us/op").build(),
                LessonVerdictTest.samples(224, 0.1, 8, 10));
        add(ViewsTest.row("creation", null).benchmark("jvm").cores(2).score(158_000.0).unit("us/op").build(),
                LessonVerdictTest.samples(158_000, 0.1, 8, 11));
        add(ViewsTest.row("creation", null).benchmark("pyThread").cores(2).score(183.0).unit("us/op").build(),
                LessonVerdictTest.samples(183, 0.2, 8, 12));
        add(ViewsTest.row("creation", null).benchmark("pyProcess").cores(2).score(28_000.0).unit("us/op")
                .params("start_method=fork").build(), LessonVerdictTest.samples(28_000, 0.2, 8, 13));
        assertEquals(Verdict.HOLDS, LessonJudges.creation(new Data(false, rows, samples)).verdict());
        assertEquals(Verdict.HOLDS, LessonJudges.creation(new Data(true, rows, samples)).verdict());
    }

    @Test
    void theRaceLosesUpdatesWithoutTheLockOnly() {
        rows.addAll(LessonClaimsTest.sync("processes", "shm-none", 2, 2_000_000, 900_000, 0));
        rows.addAll(LessonClaimsTest.sync("processes", "shm-lock", 2, 2_000_000, 0, 0));
        Side jvm = LessonJudges.race(new Data(false, rows, samples));
        assertEquals(Verdict.HOLDS, jvm.verdict(), jvm.sentence());
        assertEquals(45.0, jvm.figures().get(0).value().estimate(), 1e-9);
        assertEquals(0.0, jvm.figures().get(1).value().estimate(), 1e-9);
    }

    @Test
    void aRaceThatDidNotStrikeIsNotResolved() {
        rows.addAll(LessonClaimsTest.sync("py-processes", "value-no-lock", 2, 200_000, 0, 0));
        rows.addAll(LessonClaimsTest.sync("py-processes", "value-get-lock", 2, 200_000, 0, 0));
        Side py = LessonJudges.race(new Data(true, rows, samples));
        assertEquals(Verdict.NOT_RESOLVED, py.verdict(), py.sentence());
    }

    @Test
    void processesShareNothingUnlessToldTo() {
        rows.addAll(LessonClaimsTest.sync("threads", "synchronized", 2, 2_000_000, 0, 2_000_000));
        rows.addAll(LessonClaimsTest.sync("processes", "shm-lock", 2, 2_000_000, 0, 0));
        Side jvm = LessonJudges.sharedState(new Data(false, rows, samples));
        assertEquals(Verdict.HOLDS, jvm.verdict(), jvm.sentence());
        assertEquals(100.0, jvm.figures().get(0).value().estimate(), 1e-9); // the threads' parent saw all
    }

    private void roundTrip(String transport, double micros, long seed) {
        ResultRow r = LessonClaimsTest.roundTrip("processes", transport, 8, micros);
        add(r, LessonVerdictTest.samples(micros, 0.05, 8, seed));
    }

    private void producers(String transport, double rate, long seed) {
        ResultRow r = LessonClaimsTest.producers("processes", transport, 2, rate);
        add(r, LessonVerdictTest.samples(rate, 0.05, 8, seed));
    }

    @Test
    void onTheJvmTheRingBeatsThePipeAtTwoEnds() {
        roundTrip("pipe", 29.4, 20);
        roundTrip("socket", 31.0, 21);
        roundTrip("ring", 0.8, 22);
        producers("ring", 8_150_000, 23);
        producers("pipes", 580_000, 24);
        Side jvm = LessonJudges.queueVsPipe(new Data(false, rows, samples));
        assertEquals(Verdict.DOES_NOT_HOLD, jvm.verdict(), jvm.sentence());
        assertTrue(jvm.sentence().contains("two ends: the Pipe (pipe)"), jvm.sentence());
    }

    @Test
    void aManagerIsSlowerThanSharedMemory() {
        roundTrip("ring", 0.8, 30);
        roundTrip("manager", 137, 31);
        assertEquals(Verdict.HOLDS, LessonJudges.manager(new Data(false, rows, samples)).verdict());
    }

    @Test
    void missingRowsAreNotMeasured() {
        Side s = LessonJudges.tinyTasks(new Data(false, rows, samples));
        assertEquals(Verdict.NOT_MEASURED, s.verdict());
        assertTrue(s.figures().isEmpty());
    }
}
