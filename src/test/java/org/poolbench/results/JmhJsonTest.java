package org.poolbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jmh-1.37.json} was written by JMH 1.37 ({@code -rf json}); the first result's error was set to NaN as JMH
 * writes it after a single iteration. */
class JmhJsonTest {

    /** The families with speedups, as the registry (cli/Family) hands them to this floor. */
    static final java.util.Set<String> SPEEDUPS = java.util.Set.of("scaling", "granularity");
    /** The families with {@code @AuxCounters}, as the registry (cli/Family) hands them to this floor. */
    static final java.util.Set<String> AUX_COUNTERS = java.util.Set.of("sync");

    @TempDir
    Path dir;

    private static Path fixture() throws Exception {
        return Path.of(JmhJsonTest.class.getResource("/jmh-1.37.json").toURI());
    }

    @Test
    void convertsJmhOutput() throws Exception {
        List<ResultRow> rows = JmhJson.convert(fixture(), "20261122-031500", AUX_COUNTERS);
        assertEquals(4, rows.size());

        ResultRow obj = rows.get(0);
        assertEquals("creation", obj.family());
        assertEquals("obj", obj.benchmark());
        assertEquals("thrpt", obj.mode());
        assertEquals("ops/s", obj.unit());
        assertEquals(7.899938346813856E7, obj.score());
        assertNull(obj.scoreError(), "NaN error -> empty cell");
        assertNull(obj.params());
        assertNull(obj.speedup(), "creation has no speedup");

        ResultRow seq = rows.get(2);
        assertEquals("20261122-031500", seq.runId());
        assertEquals("scaling", seq.family());
        assertEquals("job", seq.benchmark());
        assertEquals("factorial", seq.workload());
        assertEquals("sequential", seq.backend());
        assertEquals(2, seq.workers());
        assertEquals(300L, seq.taskSize());
        assertEquals(0, seq.chunksize());
        assertEquals(8, seq.tasks());
        assertNull(seq.cores());
        assertEquals("ms/op", seq.unit());
        assertEquals(0.016830477430572192, seq.scoreError());
        assertEquals("latencyMs=3", seq.params());
        assertEquals("ok", seq.status());
        assertNull(seq.speedup(), "speedups are filled once all rows of a run are in");

        List<ResultRow> filled = Speedups.fill(rows, SPEEDUPS);
        assertEquals(1.0, filled.get(2).speedup());
        ResultRow pool = filled.get(3);
        assertEquals("thread-pool", pool.backend());
        assertEquals(seq.score() / pool.score(), pool.speedup(), 1e-12);
    }

    @Test
    void aFamilyParameterFilesTheRowsElsewhere() throws Exception {
        Path file = dir.resolve("borrowed.json");
        Files.writeString(file, Files.readString(fixture()).replace("\"workers\" : \"2\"",
                "\"workers\" : \"2\", \"family\" : \"transport\""));
        List<ResultRow> rows = JmhJson.convert(file, "r", AUX_COUNTERS);
        ResultRow seq = rows.get(2);
        assertEquals("transport", seq.family(), "ScalingBenchmark's job, borrowed by the transport family");
        assertEquals("job", seq.benchmark());
        assertEquals("latencyMs=3", seq.params(), "the family is not a parameter of the point");
        assertEquals("creation", rows.get(0).family(), "results without the parameter keep their class's family");
    }

    /** {@code jmh-sync-1.37.json}: one SyncBenchmark point as JMH 1.37 wrote it, with its @AuxCounters metrics. */
    @Test
    void secondaryMetricsBecomeRowsOfTheirOwn() throws Exception {
        Path file = Path.of(JmhJsonTest.class.getResource("/jmh-sync-1.37.json").toURI());
        List<ResultRow> rows = JmhJson.convert(file, "r", AUX_COUNTERS);
        assertEquals(List.of("processes", "processes:increment", "processes:lostUpdates", "processes:updates"),
                rows.stream().map(ResultRow::benchmark).toList());
        for (ResultRow r : rows) {
            assertEquals("sync", r.family());
            assertEquals("processes", r.backend());
            assertEquals(2, r.workers());
            assertEquals("increments=100000;primitive=shm-none", r.params());
            assertEquals("avgt", r.mode());
        }
        assertEquals("ns/op", rows.get(1).unit());
        assertEquals(rows.get(0).score() / 200_000, rows.get(1).score(), rows.get(1).score() * 1e-9);
        assertEquals("#", rows.get(2).unit());
        assertEquals(21030.0, rows.get(2).score());
        assertEquals(200000.0, rows.get(3).score());

        // the same result under another family: its secondary metrics (there, profilers') are not rows
        Path other = dir.resolve("other.json");
        Files.writeString(other, Files.readString(file).replace("SyncBenchmark", "OverheadBenchmark"));
        assertEquals(List.of("processes"),
                JmhJson.convert(other, "r", AUX_COUNTERS).stream().map(ResultRow::benchmark).toList());
    }

    @Test
    void rowsSurviveTheCsv() throws Exception {
        List<ResultRow> rows = JmhJson.convert(fixture(), "r", AUX_COUNTERS);
        Path csv = dir.resolve("results.csv");
        ResultsCsv.write(csv, rows);
        assertEquals(rows, ResultsCsv.read(csv));
    }

    @Test
    void badParamIsNamed() throws Exception {
        Path file = dir.resolve("jmh.json");
        Files.writeString(file, Files.readString(fixture()).replace("\"workers\" : \"2\"", "\"workers\" : \"two\""));
        var e = assertThrows(java.io.IOException.class, () -> JmhJson.convert(file, "r", AUX_COUNTERS));
        assertTrue(e.getMessage().contains("ScalingBenchmark.job param 'workers' = 'two' is not an integer"),
                e.getMessage());
    }

    @Test
    void emptyFileHasNoRowsAndGarbageIsRejected() throws Exception {
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        assertEquals(List.of(), JmhJson.convert(empty, "r", AUX_COUNTERS));
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{\"a\": 1}");
        var e = assertThrows(java.io.IOException.class, () -> JmhJson.convert(garbage, "r", AUX_COUNTERS));
        assertTrue(e.getMessage().contains("not a JMH result file"), e.getMessage());
    }
}
