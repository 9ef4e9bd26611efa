package org.poolbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.cli.Family;
import org.poolbench.analysis.Analysis;
import org.poolbench.results.Environment;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;

class ReportTest {

    static final Path FIXTURE = Path.of("src/test/resources/fictional-16core");

    @Test
    void writesSelfContainedHtmlAndMarkdownWithLessonsInNumbers(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = ResultsCsv.read(FIXTURE.resolve("results.csv"));
        Map<String, String> env = Environment.read(FIXTURE.resolve("environment.csv"));
        Analysis analysis = Family.analyse(rows, env);
        Family.drawAll(analysis, dir);
        List<Path> files = Report.write(analysis, dir);
        assertEquals(List.of(dir.resolve("report.md"), dir.resolve("report.html")), files);
        List<Path> tex = Latex.write(analysis, dir);
        assertTrue(tex.contains(dir.resolve("tables/scaling-factorial.tex")), tex.toString());
        String scalingTex = Files.readString(dir.resolve("tables/scaling-factorial.tex"));
        assertTrue(scalingTex.contains("\\toprule") && scalingTex.contains("\\bottomrule")
                && scalingTex.contains("14.1$\\times$"), scalingTex);

        String html = Files.readString(dir.resolve("report.html"));
        String md = Files.readString(dir.resolve("report.md"));
        for (String text : List.of(html, md)) {
            assertTrue(text.contains("run 20261122-031500"));
            assertTrue(text.contains("FICTIONAL 16-core test CPU"), "environment table");
            assertTrue(text.contains("At 16 cores on factorial, the speedup over sequential is thread-pool 14.1×"),
                    "scaling lesson");
            assertTrue(text.contains("process-pool beats sequential on factorial from task size 300 on"),
                    "granularity crossover");
            assertTrue(text.contains("Best throughput: virtual-threads"), "io lesson");
            assertTrue(text.contains("64 worker JVMs on 16 cores measure the OS scheduler"), "skipped notes");
            assertTrue(text.contains("Family: overhead"), "families without a chart get their table");
        }
        // Seven charts embedded, nothing fetched from elsewhere.
        assertEquals(7, html.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("<link"));
        assertTrue(md.contains("![Scaling: factorial](scaling-factorial.png)"));
    }

    @Test
    void latexEscapesItsSpecialCharacters() {
        assertEquals("99.9 \\% of a\\_b $\\pm$ 3 \\textmu{}s", Latex.escape("99.9 % of a_b ± 3 µs"));
    }

    @Test
    void missingChartsLeaveTheTables(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = ResultsCsv.read(FIXTURE.resolve("results.csv"));
        Report.write(Family.analyse(rows, Map.of()), dir);
        String html = Files.readString(dir.resolve("report.html"));
        assertFalse(html.contains("<img"));
        assertTrue(html.contains("<h2>Creation overhead</h2>"));
    }
}
