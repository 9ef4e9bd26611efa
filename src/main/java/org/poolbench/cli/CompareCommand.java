package org.poolbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poolbench.report.Compare;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compare <runA> <runB>}: for every point both runs measured, the time ratio B/A with an interval and a verdict
 * (faster, slower, within noise); a table on the terminal, and compare.csv plus a chart in a new folder.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two runs point by point: ratio B/A, interval, verdict.")
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

    @Override
    public Integer call() throws IOException {
        for (Path p : new Path[] {a, b}) {
            if (!Files.exists(p)) {
                throw new UsageError("'" + p + "' does not exist; expected a results/<run-id> folder or a results.csv");
            }
        }
        Path dir = out != null ? out : ChartsCommand.freshDir(chartsDir,
                "compare-" + name(a) + "-vs-" + name(b));
        String table = Compare.compare(a, b, dir);
        System.out.print(table.endsWith("\n") ? table : table + "\n");
        System.out.println("compare: " + dir);
        return 0;
    }

    private static String name(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path named = abs.getFileName() != null && abs.getFileName().toString().endsWith(".csv") ? abs.getParent() : abs;
        return named.getFileName() == null ? "run" : named.getFileName().toString();
    }
}
