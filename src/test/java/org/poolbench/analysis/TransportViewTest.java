package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.poolbench.results.ResultRow;

/** The transport family's view: each figure against its bar, and the crossover from granularity's rows. */
class TransportViewTest {

    private static ResultRow t(String benchmark, String transport, double score, String unit) {
        return ViewsTest.row("transport", "").benchmark(benchmark).cores(2).score(score).scoreError(score / 100)
                .unit(unit).params(transport == null ? null : "transport=" + transport).build();
    }

    private static ResultRow g(String backend, long size, double micros) {
        return ViewsTest.row("granularity", backend).benchmark("factorial").workload("factorial").cores(2)
                .taskSize(size).tasks(100).score(micros).unit("us/op").build();
    }

    @Test
    void eachFigureIsJudgedAgainstItsBar() {
        List<ResultRow> rows = List.of(t("roundTrip", "pipe", 8.0, "us/op"), t("roundTrip", "shared-memory", 1.6, "us/op"),
                t("pipeFloor", null, 8.0, "us/op"), t("factorial", "pipe", 100.0, "ms/op"),
                t("factorial", "shared-memory", 110.0, "ms/op"), t("firstResults", "pipe", 120.0, "ms/op"),
                t("firstResults", "shared-memory", 125.0, "ms/op"), t("jvmStartup", null, 100.0, "ms/op"),
                t("idle:idleCpu", "shared-memory", 0.4, "#"));
        // sequential 100 µs per job at every size; pipes win from 3000!, shared memory from 300!
        List<ResultRow> granularity = new ArrayList<>();
        long[] sizes = {100, 300, 1000, 3000};
        double[] pipe = {400, 300, 150, 60};
        double[] shm = {150, 80, 60, 55};
        for (int i = 0; i < sizes.length; i++) {
            granularity.add(g("sequential", sizes[i], 100 * (i + 1)));
            granularity.add(g("process-pool", sizes[i], pipe[i] * (i + 1)));
            granularity.add(g("process-pool-shm", sizes[i], shm[i] * (i + 1)));
        }
        TransportView v = TransportView.of(rows, granularity, List.of());
        List<List<String>> lines = v.table().rows();
        assertEquals("apply, back to back", lines.get(0).get(0));
        assertEquals("0.20×", lines.get(0).get(3));
        assertEquals("met", lines.get(0).get(5), "1.6 µs against 8 µs is within a quarter");
        assertEquals("met", lines.get(1).get(5), "and within half the pipe floor");
        List<String> factorial = lines.stream().filter(l -> l.get(0).startsWith("factorial")).findFirst().orElseThrow();
        assertEquals("not met", factorial.get(5), "10 % slower with 2 % of noise: spinning took the work's CPU");
        List<String> shmStart = lines.stream().filter(l -> l.get(0).contains("one JVM's start (shared-memory)"))
                .findFirst().orElseThrow();
        assertEquals("met", shmStart.get(5), "125 ms against a JVM's 100 ms is within 1.3×");
        List<String> idle = lines.stream().filter(l -> l.get(0).startsWith("CPU of an idle pool")).findFirst().orElseThrow();
        assertEquals("met", idle.get(5));
        List<String> cross = lines.stream().filter(l -> l.get(0).startsWith("beats sequential")).findFirst().orElseThrow();
        assertTrue(cross.get(1).startsWith("3000!"), cross.toString());
        assertTrue(cross.get(2).startsWith("300!"), cross.toString());
        assertEquals("not met", cross.get(5), "300! is half of 3000!'s work per task here, not a fifth");
        assertEquals(List.of("apply (time)", "factorial (time)", "first results (time)"), v.labels());
        assertEquals(0.2, v.ratios().points().get(0).y(), 1e-12);
        assertEquals(List.of("transport"), v.figures());
    }

    @Test
    void theStartIsShownBesideItsFloor() {
        List<ResultRow> rows = List.of(t("firstResults", "pipe", 250.0, "ms/op"),
                t("firstResults", "shared-memory", 240.0, "ms/op"),
                ViewsTest.row("transport", "").benchmark("jvmStartup").cores(2).workers(1).score(100.0)
                        .unit("ms/op").build(),
                ViewsTest.row("transport", "").benchmark("jvmStartup").cores(2).workers(2).score(160.0)
                        .unit("ms/op").build());
        List<List<String>> lines = TransportView.of(rows, List.of(), List.of()).table().rows();
        assertEquals("2.40×", lines.get(1).get(3), "shared memory's first results against one JVM");
        assertEquals("not met", lines.get(1).get(5));
        List<String> floor = lines.get(2);
        assertEquals("2 bare JVMs started at once / one (the floor of the line above)", floor.get(0));
        assertEquals("1.60×", floor.get(3));
    }

    @Test
    void aFactorialRatioBelowTheBarButWithinTheErrorsIsNotCalledMet() {
        List<ResultRow> rows = List.of(
                ViewsTest.row("transport", "").benchmark("factorial").cores(2).score(100.0).scoreError(10.0)
                        .unit("ms/op").params("transport=pipe").build(),
                ViewsTest.row("transport", "").benchmark("factorial").cores(2).score(110.0).scoreError(11.0)
                        .unit("ms/op").params("transport=shared-memory").build());
        List<String> factorial = TransportView.of(rows, List.of(), List.of()).table().rows().get(0);
        assertEquals("0.91×", factorial.get(3));
        assertEquals("not met (within the points' errors, ±20 %)", factorial.get(5));
    }

    @Test
    void noRowsNoView() {
        assertNull(TransportView.of(List.of(), List.of(), List.of()));
    }
}
