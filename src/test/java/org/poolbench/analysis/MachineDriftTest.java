package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.results.CsvFormatException;
import org.poolbench.results.IterationsCsv;

class MachineDriftTest {

    @TempDir
    Path dir;

    @Test
    void spreadIsTheNinetyFifthOverTheFifthPercentileSoOneOddReadingDoesNotSetIt() {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ms.add(40.0 + i * 0.1); // 40.0 … 49.9
        }
        ms.set(0, 400.0); // one reading taken during a hiccup
        MachineDrift d = MachineDrift.of(MachineDrift.Measure.SPIN, ms);
        assertEquals(100, d.readings());
        assertEquals(40.5, d.low(), 0.2);
        assertEquals(49.6, d.high(), 0.2);
        assertEquals(49.6 / 40.5 - 1, d.spread(), 0.01);
        assertTrue(d.describe().startsWith("machine drift 21.9 % (a fixed arithmetic loop took 40.6–49.5 ms"), d.describe());
    }

    @Test
    void tooFewReadingsGiveNoDrift() {
        assertNull(MachineDrift.of(MachineDrift.Measure.SPIN, List.of(40.0, 41.0, 42.0, 43.0, 44.0)));
        assertNull(MachineDrift.of(MachineDrift.Measure.SPIN, List.of(40.0, 41.0, -1.0, Double.NaN, 44.0, 45.0)),
                "bad readings do not count");
    }

    @Test
    void readsTheProbeColumnsOfNoiseCsvAndNothingFromOlderFiles() throws Exception {
        Path now = dir.resolve("noise.csv");
        Files.writeString(now, "invocation,family,benchmarks,params,cores,start_time,end_time,load1_before,load1_after,"
                + "busy_pct,steal_pct,spin_ms_before,spin_ms_after,copy_ms_before,copy_ms_after\n"
                + "1,ceiling,x,p,1,t0,t1,0.5,0.6,50,0,20.5,21.0,10,11\n"
                + "2,scaling,x,p,2,t1,t2,0.6,0.7,50,0,,22.5,12,13\n");
        assertEquals(List.of(20.5, 21.0, 22.5), MachineDrift.readings(now, MachineDrift.Measure.SPIN));
        assertEquals(List.of(10.0, 11.0, 12.0, 13.0), MachineDrift.readings(now, MachineDrift.Measure.COPY));
        Path old = dir.resolve("old.csv");
        Files.writeString(old, "invocation,family,benchmarks,params,cores,start_time,end_time,load1_before,load1_after,"
                + "busy_pct,steal_pct\n1,ceiling,x,p,1,t0,t1,0.5,0.6,50,0\n");
        assertEquals(List.of(), MachineDrift.readings(old, MachineDrift.Measure.COPY));
        assertEquals(List.of(), MachineDrift.readings(dir.resolve("absent.csv"), MachineDrift.Measure.SPIN));
        assertNull(MachineDrift.of(MachineDrift.Measure.SPIN, old, dir.resolve("absent.csv")));
    }

    @Test
    void copyRatiosPairEachPointsInvocationsInBothRuns() throws Exception {
        String header = "invocation,family,benchmarks,params,cores,start_time,end_time,load1_before,load1_after,"
                + "busy_pct,steal_pct,spin_ms_before,spin_ms_after,copy_ms_before,copy_ms_after\n";
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, header + "1,x,x,p,1,t,t,0,0,0,0,20,20,10,12\n2,x,x,p,1,t,t,0,0,0,0,20,20,10,10\n");
        Files.writeString(b, header + "1,x,x,p,1,t,t,0,0,0,0,20,20,11,11\n2,x,x,p,1,t,t,0,0,0,0,20,20,7,7\n");
        // the point "f" was measured in invocation 1 of A but 2 of B (plans can differ); "s" is only in A's files
        List<IterationsCsv.Iteration> itA = List.of(it("f", 1), it("f", 1), it("s", 2));
        List<IterationsCsv.Iteration> itB = List.of(it("f", 2), it("s", null), it("g", 1));
        Map<List<Object>, Double> ratios = MachineDrift.copyRatios(itA, a, itB, b);
        assertEquals(Map.of(it("f", 1).pointKey(), 7 / 11.0), ratios,
                "B's mean copy around f (7 ms) over A's (10 and 12 ms); s and g lack an invocation in one run");
        assertEquals(Map.of(), MachineDrift.copyRatios(itA, dir.resolve("absent.csv"), itB, b));
    }

    @Test
    void probeRatiosAreBsMeanReadingOverAsPerPointFromTheMachineMetricOnly() {
        List<IterationsCsv.Iteration> itA = List.of(reading("f", 2.0), reading("f", 3.0), it("f", 1), reading("s", 4.0));
        List<IterationsCsv.Iteration> itB = List.of(reading("f", 3.0), reading("f", 4.5), it("f", 1), it("s", 1),
                reading("g", 1.0));
        assertEquals(Map.of(it("f", 1).pointKey(), 3.75 / 2.5), MachineDrift.probeRatios(itA, itB),
                "f: 3.75 ms over 2.5 ms (its primary rows, 5.0, do not count); s has no reading in B, g none in A");
        assertEquals(Map.of(), MachineDrift.probeRatios(List.of(it("f", 1)), List.of(it("f", 1))),
                "runs made before the readings");
    }

    private static IterationsCsv.Iteration reading(String workload, double ms) {
        return new IterationsCsv.Iteration("r", "scaling", "job", workload, "sequential", 1, 1, null, null, 12, null,
                "avgt", "ms", MachineDrift.PROBE_METRIC, 1, 1, ms, null);
    }

    private static IterationsCsv.Iteration it(String workload, Integer invocation) {
        return new IterationsCsv.Iteration("r", "scaling", "job", workload, "sequential", 1, 1, null, null, 12, null,
                "avgt", "ms/op", IterationsCsv.PRIMARY, 1, 1, 5.0, invocation);
    }

    @Test
    void aReadingThatIsNotANumberNamesTheFileColumnAndValue() throws Exception {
        Path bad = dir.resolve("noise.csv");
        Files.writeString(bad, "invocation,family,benchmarks,params,cores,start_time,end_time,load1_before,load1_after,"
                + "busy_pct,steal_pct,spin_ms_before,spin_ms_after,copy_ms_before,copy_ms_after\n"
                + "3,ceiling,x,p,1,t0,t1,0.5,0.6,50,0,20.5,fast,10,11\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> MachineDrift.of(MachineDrift.Measure.SPIN, bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("'spin_ms_after'")
                && e.getMessage().contains("'fast'"), e.getMessage());
    }

    @Test
    void aMeasuresDriftSpansTheReadingsOfAllFiles() throws Exception {
        String header = "invocation,family,benchmarks,params,cores,start_time,end_time,load1_before,load1_after,"
                + "busy_pct,steal_pct,spin_ms_before,spin_ms_after,copy_ms_before,copy_ms_after\n";
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        // arithmetic steady at 20 ms in both runs; the copy 10 ms in run A and 15 ms in run B
        Files.writeString(a, header + "1,x,x,p,1,t,t,0,0,0,0,20,20,10,10\n".repeat(4));
        Files.writeString(b, header + "1,x,x,p,1,t,t,0,0,0,0,20,20,15,15\n".repeat(4));
        MachineDrift copy = MachineDrift.of(MachineDrift.Measure.COPY, a, b);
        assertEquals(16, copy.readings());
        assertEquals(0.5, copy.spread(), 1e-9, "run B's copies were slower than run A's: that is drift too");
        assertEquals(0.0, MachineDrift.of(MachineDrift.Measure.SPIN, a, b).spread(), 1e-12);
        assertNull(MachineDrift.of(MachineDrift.Measure.SPIN, a.resolveSibling("none.csv")));
    }

    @Test
    void compareTakesTheReadersThresholdElseTheLargerOfFivePercentAndTheDrift() {
        MachineDrift calm = new MachineDrift(MachineDrift.Measure.SPIN, 40, 41, 50);
        MachineDrift noisy = new MachineDrift(MachineDrift.Measure.COPY, 40, 50, 50);
        assertEquals(Map.entry(0.02, "--noise-threshold"), Comparison.threshold(0.02, noisy));
        assertEquals(Comparison.DEFAULT_THRESHOLD, Comparison.threshold(null, null).getKey());
        assertTrue(Comparison.threshold(null, null).getValue().contains("no machine probe readings"));
        assertEquals(Comparison.DEFAULT_THRESHOLD, Comparison.threshold(null, calm).getKey());
        assertEquals(0.25, Comparison.threshold(null, noisy).getKey(), 1e-12);
        assertTrue(Comparison.threshold(null, noisy).getValue().contains("machine drift 25 %"));
    }
}
