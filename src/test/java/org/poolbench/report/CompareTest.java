package org.poolbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.results.CsvFormatException;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;

class CompareTest {

    static ResultRow row(String backend, String mode, double score, Double error) {
        return new ResultRow("A", "scaling", "job", "factorial", backend, 2, 2, 100L, 0, 8, mode, score, error,
                mode.equals("thrpt") ? "ops/s" : "ms/op", null, null, "ok", null, null);
    }

    @Test
    void verdictsFollowIntervalOverlap() {
        assertEquals(Compare.Verdict.FASTER, Compare.judge(row("x", "avgt", 100, 5.0), row("x", "avgt", 80, 5.0)).verdict());
        assertEquals(Compare.Verdict.SLOWER, Compare.judge(row("x", "avgt", 100, 5.0), row("x", "avgt", 120, 5.0)).verdict());
        assertEquals(Compare.Verdict.WITHIN_NOISE,
                Compare.judge(row("x", "avgt", 100, 5.0), row("x", "avgt", 108, 5.0)).verdict());
        // Without an error estimate (two iterations) no change can be claimed, however large.
        assertEquals(Compare.Verdict.UNKNOWN,
                Compare.judge(row("x", "avgt", 100, null), row("x", "avgt", 50, 5.0)).verdict());
        // Throughput: higher is better, and the ratio is still a time ratio.
        Compare.Change thrpt = Compare.judge(row("x", "thrpt", 100, 1.0), row("x", "thrpt", 200, 1.0));
        assertEquals(Compare.Verdict.FASTER, thrpt.verdict());
        assertEquals(0.5, thrpt.ratio(), 1e-12);
        Compare.Change c = Compare.judge(row("x", "avgt", 100, 10.0), row("x", "avgt", 50, 5.0));
        assertEquals(45 / 110.0, c.low(), 1e-12);
        assertEquals(55 / 90.0, c.high(), 1e-12);
    }

    @Test
    void comparesTwoRunDirectories(@TempDir Path dir) throws Exception {
        List<ResultRow> a = List.of(row("thread-pool", "avgt", 100, 5.0), row("process-pool", "avgt", 100, 5.0),
                row("fork-join", "avgt", 100, 5.0), row("virtual-threads", "avgt", 100, 5.0));
        List<ResultRow> b = new ArrayList<>(List.of(row("thread-pool", "avgt", 70, 5.0),
                row("process-pool", "avgt", 150, 5.0), row("fork-join", "avgt", 101, 5.0),
                row("thread-per-task", "avgt", 10, 1.0)));
        Path runA = Files.createDirectories(dir.resolve("A"));
        Path runB = Files.createDirectories(dir.resolve("B"));
        ResultsCsv.write(runA.resolve("results.csv"), a);
        ResultsCsv.write(runB.resolve("results.csv"), b);
        Path out = dir.resolve("out");
        String table = Compare.compare(runA, runB, out);
        assertTrue(table.contains("3 points: 1 faster, 1 slower, 1 within noise; 1 only in A, 1 only in B"), table);
        assertTrue(table.contains("0.700×"), table);
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(0).startsWith("family,benchmark,workload,backend"));
        assertTrue(csv.get(2).endsWith(",slower"), csv.get(2));
        assertTrue(Files.size(out.resolve("compare.png")) > 1000);
        assertTrue(Files.readString(out.resolve("compare.svg")).contains("<svg"));
    }

    @Test
    void missingRunIsReported(@TempDir Path dir) {
        var e = assertThrows(CsvFormatException.class, () -> Compare.compare(dir.resolve("nope"), dir, dir));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
