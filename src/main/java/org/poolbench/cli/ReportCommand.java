package org.poolbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poolbench.analysis.Analysis;
import org.poolbench.report.Latex;
import org.poolbench.report.Report;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report <results/RUN-ID>}: draws the charts of a run and writes report.html (self-contained) and report.md
 * beside them, in {@code charts/<run-id>/} (or {@code --out}).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write charts, report.html and report.md for a run folder (or a results.csv).")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A results/<run-id> folder, or its results.csv.")
    Path run;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for charts and report (default: charts/<run-id>).")
    Path out;

    @Option(names = "--charts-dir", paramLabel = "DIR", defaultValue = "charts",
            description = "Parent of the default output folder (default: ${DEFAULT-VALUE}).")
    Path chartsDir;

    @Override
    public Integer call() throws IOException {
        Path csv = Files.isDirectory(run) ? run.resolve("results.csv") : run;
        List<ResultRow> rows = ResultsCsv.read(csv);
        if (rows.isEmpty()) {
            throw new UsageError("'" + csv + "' has no result rows; nothing to report");
        }
        Map<String, String> env = ChartsCommand.environmentBeside(csv, rows);
        Path dir = out != null ? out : chartsDir.resolve(rows.get(0).runId());
        Files.createDirectories(dir);
        // the report embeds the charts, so draw them (again) from the same rows first
        Analysis analysis = Family.analyse(rows, env, ChartsCommand.iterationsBeside(csv));
        List<Path> charts = Family.drawAll(analysis, dir);
        List<Path> written = new ArrayList<>(Report.write(analysis, dir));
        Latex.write(analysis, dir);
        written.add(dir.resolve("tables"));
        System.out.println("charts:  " + dir + " (" + charts.size() + " files)");
        written.forEach(p -> System.out.println("report:  " + p));
        return 0;
    }
}
