package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.analysis.MachineDrift;
import org.poolbench.results.IterationsCsv;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;

/** compare's noise threshold: automatic from the runs' spin readings, or the reader's; bad values refused. */
class CompareCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.err;
    private final ByteArrayOutputStream out = console.out;

    /** A run with one point whose 10 iterations are all {@code ms}, and spin readings {@code spins} (none if empty). */
    private Path run(String id, double ms, double... spins) throws Exception {
        Path run = dir.resolve(id);
        Files.createDirectories(run);
        ResultRow row = ResultRow.builder().runId(id).family("scaling").benchmark("job").workload("factorial")
                .backend("thread-pool").cores(2).workers(2).chunksize(0).tasks(12).mode("avgt").score(ms)
                .scoreError(1.0).unit("ms/op").status("ok").build();
        ResultsCsv.write(run.resolve("results.csv"), List.of(row));
        List<IterationsCsv.Iteration> its = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            its.add(new IterationsCsv.Iteration(id, "scaling", "job", "factorial", "thread-pool", 2, 2, null, 0, 12,
                    null, "avgt", "ms/op", IterationsCsv.PRIMARY, 1, i, ms + (i % 2 == 0 ? 0.5 : -0.5)));
        }
        IterationsCsv.write(run.resolve("iterations.csv"), its);
        if (spins.length > 0) {
            StringBuilder noise = new StringBuilder("invocation,family,benchmarks,params,cores,start_time,end_time,"
                    + "load1_before,load1_after,busy_pct,steal_pct,spin_ms_before,spin_ms_after\n");
            for (int i = 0; i + 1 < spins.length; i += 2) {
                noise.append(i / 2 + 1).append(",scaling,x,p,2,t0,t1,0.5,0.5,50,0,").append(spins[i]).append(',')
                        .append(spins[i + 1]).append('\n');
            }
            Files.writeString(run.resolve("noise.csv"), noise);
        }
        return run;
    }

    /** Runs {@code compare a b} into {@code name} under the test's directory (exit 0 asserted); its one row. */
    private Map<String, String> compared(Path a, Path b, String name) throws Exception {
        Path outDir = dir.resolve(name);
        assertEquals(0, Main.execute("compare", a.toString(), b.toString(), "--out", outDir.toString()));
        return compareRow(outDir);
    }

    private Map<String, String> compareRow(Path outDir) throws Exception {
        try (CSVParser p = CSVParser.parse(outDir.resolve("compare.csv"), StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            List<CSVRecord> rows = p.getRecords();
            assertEquals(1, rows.size());
            return rows.get(0).toMap();
        }
    }

    @Test
    void autoThresholdIsTheMachinesDriftWhenItExceedsFivePercent() throws Exception {
        // the machine drifted by 25 % (40 → 50 ms); B is 15 % slower, clearly significant, yet within that drift
        Path a = run("A", 100, 40, 40, 40, 50, 50, 50, 40, 50);
        Path b = run("B", 115, 40, 50, 40, 50, 40, 50, 40, 50);
        Path outDir = dir.resolve("cmp");
        assertEquals(0, Main.execute("compare", a.toString(), b.toString(), "--out", outDir.toString()));
        Map<String, String> row = compareRow(outDir);
        assertEquals(0.25, Double.parseDouble(row.get("noise_threshold")), 1e-9);
        assertEquals("no change", row.get("verdict"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("machine drift 25 %"), out.toString());

        Path fixed = dir.resolve("cmp-fixed");
        assertEquals(0, Main.execute("compare", a.toString(), b.toString(), "--out", fixed.toString(),
                "--noise-threshold", "0.05"));
        assertEquals("slower", compareRow(fixed).get("verdict"), "the reader's threshold wins");
    }

    /** An iteration of {@code i}'s point, fork and number with its own unit, metric, value and invocation. */
    private static IterationsCsv.Iteration like(IterationsCsv.Iteration i, String unit, String metric, double value,
                                                Integer invocation) {
        return new IterationsCsv.Iteration(i.runId(), i.family(), i.benchmark(), i.workload(), i.backend(), i.cores(),
                i.workers(), i.taskSize(), i.chunksize(), i.tasks(), i.params(), i.mode(), unit, metric, i.fork(),
                i.iteration(), value, invocation);
    }

    /** Tags every iteration of {@code run} with invocation 1 and writes noise.csv with copy readings {@code copyMs}. */
    private static void copyReadings(Path run, double copyMs) throws Exception {
        Path file = run.resolve("iterations.csv");
        List<IterationsCsv.Iteration> tagged = new ArrayList<>();
        for (IterationsCsv.Iteration i : IterationsCsv.read(file)) {
            tagged.add(like(i, i.unit(), i.metric(), i.value(), 1));
        }
        IterationsCsv.write(file, tagged);
        Files.writeString(run.resolve("noise.csv"), "invocation,family,benchmarks,params,cores,start_time,end_time,"
                + "load1_before,load1_after,busy_pct,steal_pct,spin_ms_before,spin_ms_after,copy_ms_before,"
                + "copy_ms_after\n1,scaling,x,p,2,t0,t1,0.5,0.5,50,0,20,20," + copyMs + "," + copyMs + "\n");
    }

    @Test
    void aPointThatMovedNoFurtherThanTheMachinesMemoryIsNoChange() throws Exception {
        // B is 20 % faster; around that point B's machine copied memory in 0.7× A's time
        Path a = run("A", 100);
        Path b = run("B", 80);
        copyReadings(a, 10);
        copyReadings(b, 7);
        Map<String, String> row = compared(a, b, "cmp");
        assertEquals(0.7, Double.parseDouble(row.get("copy_ratio")), 1e-9);
        assertEquals("no change", row.get("verdict"));
        assertTrue(row.get("note").contains("machine's move"), row.get("note"));

        copyReadings(b, 13); // the machine was slower in B: it cannot explain B being faster
        assertEquals("faster", compared(a, b, "cmp-again").get("verdict"));
    }

    /** Adds a machine reading of {@code ms} after every primary iteration of {@code run}, as the CPython program does. */
    private static void machineReadings(Path run, double ms) throws Exception {
        Path file = run.resolve("iterations.csv");
        List<IterationsCsv.Iteration> with = new ArrayList<>();
        for (IterationsCsv.Iteration i : IterationsCsv.read(file)) {
            with.add(i);
            if (IterationsCsv.PRIMARY.equals(i.metric())) {
                with.add(like(i, "ms", MachineDrift.PROBE_METRIC, ms, i.invocation()));
            }
        }
        IterationsCsv.write(file, with);
    }

    @Test
    void aPointsOwnMachineReadingsOutweighTheCopyAroundItsPart() throws Exception {
        // B is 20 % faster; the copy around the part did not move, but the point's own readings took 0.7× as long
        Path a = run("A", 100);
        Path b = run("B", 80);
        copyReadings(a, 10);
        copyReadings(b, 10);
        machineReadings(a, 4.0);
        machineReadings(b, 2.8);
        Map<String, String> row = compared(a, b, "cmp-probe");
        assertEquals(1.0, Double.parseDouble(row.get("copy_ratio")), 1e-9);
        assertEquals(0.7, Double.parseDouble(row.get("probe_ratio")), 1e-9);
        assertEquals("no change", row.get("verdict"));
        assertTrue(row.get("note").contains("machine reading took 0.70×"), row.get("note"));

        machineReadings(b, 5.6); // B's readings now average (2.8 + 5.6) / 2 = 4.2: slower, so no excuse
        assertEquals("faster", compared(a, b, "cmp-probe-again").get("verdict"));
    }

    @Test
    void aProbeReadingThatIsNotANumberIsOneLineExitTwo() throws Exception {
        Path a = run("A", 100, 40, 40, 40, 40, 40, 40);
        Path b = run("B", 115, 40, 40, 40, 40, 40, 40);
        Files.writeString(b.resolve("noise.csv"), Files.readString(b.resolve("noise.csv")).replaceFirst(",40\\.0\n",
                ",forty\n"));
        Path outDir = dir.resolve("cmp");
        assertEquals(2, Main.execute("compare", a.toString(), b.toString(), "--out", outDir.toString()));
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("'forty'") && line.contains("spin_ms_after"), line);
        assertFalse(Files.exists(outDir), "a bad file must not write");
    }

    @Test
    void runsWithoutSpinReadingsKeepTheFivePercentDefault() throws Exception {
        Path a = run("A", 100);
        Path b = run("B", 115);
        Path outDir = dir.resolve("cmp");
        assertEquals(0, Main.execute("compare", a.toString(), b.toString(), "--out", outDir.toString()));
        Map<String, String> row = compareRow(outDir);
        assertEquals(0.05, Double.parseDouble(row.get("noise_threshold")), 1e-12);
        assertEquals("slower", row.get("verdict"));
    }

    @Test
    void aBadThresholdIsOneLineExitTwoAndWritesNothing() throws Exception {
        Path a = run("A", 100);
        Path b = run("B", 115);
        Path outDir = dir.resolve("cmp");
        for (String bad : List.of("lots", "1.5", "-0.1")) {
            err.reset();
            assertEquals(2, Main.execute("compare", a.toString(), b.toString(), "--out", outDir.toString(),
                    "--noise-threshold", bad));
            String line = err.toString(StandardCharsets.UTF_8).strip();
            assertEquals(1, line.lines().count(), line);
            assertTrue(line.contains("'" + bad + "'") && line.contains("auto"), line);
            assertFalse(Files.exists(outDir), "a bad call must not write");
        }
    }
}
