package org.poolbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.analysis.Comparison;
import org.poolbench.charts.Charts;
import org.poolbench.results.ResultRow;

class CompareReportTest {

    static ResultRow row(String backend, double score, Double error) {
        return ResultRow.builder().runId("A").family("scaling").benchmark("job").workload("factorial")
                .backend(backend).cores(2).workers(2).taskSize(100L).chunksize(0).tasks(8).mode("avgt").score(score)
                .scoreError(error).unit("ms/op").status("ok").build();
    }

    @Test
    void writesCsvMarkdownChartAndTerminalTable(@TempDir Path dir) throws Exception {
        List<ResultRow> a = List.of(row("thread-pool", 100, 5.0), row("process-pool", 100, 5.0),
                row("fork-join", 100, 5.0), row("virtual-threads", 100, 5.0));
        List<ResultRow> b = List.of(row("thread-pool", 70, 5.0), row("process-pool", 150, 5.0),
                row("fork-join", 101, 5.0), row("thread-per-task", 10, 1.0));
        Comparison c = Comparison.of("A", a, null, "B", b, null, 0.05);
        CompareReport.write(c, dir);
        Charts.draw(c, dir);
        String table = CompareReport.terminal(c);
        assertTrue(table.contains("3 points: 1 faster, 1 slower, 1 no change (noise threshold 5 %); 1 only in A,"
                + " 1 only in B"), table);
        assertTrue(table.contains("0.700×"), table);
        List<String> csv = Files.readAllLines(dir.resolve("compare.csv"));
        assertEquals(4, csv.size());
        assertEquals(String.join(",", CompareReport.COLUMNS), csv.get(0));
        assertTrue(csv.get(2).contains(",intervals,0.05,,,slower,"), csv.get(2));
        String md = Files.readString(dir.resolve("compare.md"));
        assertTrue(md.startsWith("# Run B against run A\n") && md.contains("1 faster, 1 slower"), md);
        for (String ext : List.of("png", "svg", "pdf")) {
            assertTrue(Files.size(dir.resolve("compare." + ext)) > 1000, "compare." + ext);
        }
    }
}
