package org.poolbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.poolbench.analysis.Comparison;
import org.poolbench.analysis.MachineDrift;
import org.poolbench.charts.Charts;
import org.poolbench.report.CompareReport;
import org.poolbench.results.IterationsCsv;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compare <runA> <runB>}: for every point both runs measured, the time ratio B/A with an interval, a test of
 * significance and a verdict (faster, slower, no change); a table on the terminal, and compare.csv, compare.md and
 * a chart in a new folder.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two runs point by point: ratio B/A, interval, p-value, verdict.")
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The baseline: a results/<run-id> folder or CSV.")
    Path a;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The candidate: a results/<run-id> folder or CSV.")
    Path b;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for compare.csv and the chart (default: a new charts/compare-<A>-vs-<B>).")
    Path out;

    @Option(names = "--charts-dir", paramLabel = "DIR", defaultValue = "charts",
            description = "Parent of the default output folder (default: ${DEFAULT-VALUE}).")
    Path chartsDir;

    @Option(names = "--noise-threshold", paramLabel = "FRACTION|auto", defaultValue = "auto",
            description = "Changes smaller than this are 'no change', e.g. 0.05 for 5 %%. auto (the default): the"
                    + " larger of 5 %% and the machine's drift over both runs (spin readings in noise.csv).")
    String threshold;

    @Override
    public Integer call() throws IOException {
        for (Path p : new Path[] {a, b}) {
            if (!Files.exists(p)) {
                throw new UsageError("'" + p + "' does not exist; expected a results/<run-id> folder or a results.csv");
            }
        }
        Double given = given(threshold);
        List<ResultRow> rowsA = ResultsCsv.read(csv(a));
        List<ResultRow> rowsB = ResultsCsv.read(csv(b));
        Map.Entry<Double, String> t = Comparison.threshold(given,
                MachineDrift.of(MachineDrift.Measure.SPIN, sibling(a, "noise.csv"), sibling(b, "noise.csv")));
        List<IterationsCsv.Iteration> itA = iterationRows(a);
        List<IterationsCsv.Iteration> itB = iterationRows(b);
        Comparison c = Comparison.of(label(rowsA, a), rowsA, samples(itA), label(rowsB, b), rowsB, samples(itB),
                t.getKey(), t.getValue(), itA == null || itB == null ? null
                        : MachineDrift.copyRatios(itA, sibling(a, "noise.csv"), itB, sibling(b, "noise.csv")),
                itA == null || itB == null ? null : MachineDrift.probeRatios(itA, itB));
        Path dir = out != null ? out : ChartsCommand.freshDir(chartsDir, "compare-" + name(a) + "-vs-" + name(b));
        CompareReport.write(c, dir);
        Charts.draw(c, dir);
        System.out.print(CompareReport.terminal(c));
        System.out.println("compare: " + dir);
        return 0;
    }

    /** The reader's threshold, or null for auto. */
    private static Double given(String text) {
        if (text.equals("auto")) {
            return null;
        }
        double t;
        try {
            t = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            t = Double.NaN;
        }
        if (!(t >= 0 && t < 1)) {
            throw new UsageError("--noise-threshold: '" + text + "' is not a fraction; expected auto or a fraction"
                    + " from 0 to below 1, e.g. 0.05 for 5 %");
        }
        return t;
    }

    /** A file beside a run's results.csv. */
    private static Path sibling(Path run, String name) {
        return csv(run).toAbsolutePath().getParent().resolve(name);
    }

    /** A run's raw iterations (its iterations.csv beside results.csv), or null if it kept none. */
    private static List<IterationsCsv.Iteration> iterationRows(Path run) throws IOException {
        Path file = sibling(run, "iterations.csv");
        return Files.isRegularFile(file) ? IterationsCsv.read(file) : null;
    }

    /** Each point's primary values, or null if the run kept no iterations. */
    private static Function<ResultRow, double[]> samples(List<IterationsCsv.Iteration> rows) {
        if (rows == null) {
            return null;
        }
        Map<List<Object>, double[]> values = IterationsCsv.valuesByPoint(rows, IterationsCsv.PRIMARY);
        return r -> values.get(r.pointKey());
    }

    private static Path csv(Path run) {
        return Files.isDirectory(run) ? run.resolve("results.csv") : run;
    }

    private static String label(List<ResultRow> rows, Path run) {
        return rows.stream().map(ResultRow::runId).filter(Objects::nonNull).findFirst().orElse(name(run));
    }

    private static String name(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path named = abs.getFileName() != null && abs.getFileName().toString().endsWith(".csv") ? abs.getParent() : abs;
        return named.getFileName() == null ? "run" : named.getFileName().toString();
    }
}
